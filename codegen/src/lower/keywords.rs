//! Every keyword the generator knows, one row each: its vocabulary, the
//! instances it constrains, how its value parses, and what each lowering
//! does with it. Typed lowering (`lower.rs`) and value lowering
//! (`lower/value.rs`) both read this table and its parsers, so a keyword is
//! added here (and given a test), not in two lists that can drift apart.

use serde_json::{Number, Value};

/// The vocabulary a keyword belongs to: a metaschema may leave some out
/// (`$vocabulary`), and then their keywords assert nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Vocabulary {
    Core,
    Applicator,
    Unevaluated,
    Validation,
    MetaData,
    /// Format-annotation and format-assertion both define `format`.
    Format,
    Content,
    /// Not draft 2020-12's: draft 7's `definitions`, OpenAPI's additions.
    Other,
}

/// The JSON instances a keyword constrains; any other passes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Instances {
    All,
    Strings,
    Numbers,
    Arrays,
    Objects,
}

/// How a keyword's value parses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parse {
    /// A non-negative integer ([`count`]).
    Count,
    /// A finite number ([`number`]).
    Number,
    /// An ECMA-262 regular expression.
    Regex,
    /// A subschema.
    Schema,
    /// A non-empty array of subschemas.
    SchemaList,
    /// An object of subschemas, by property name (or by pattern, for
    /// `patternProperties`).
    SchemaMap,
    /// An array of strings, or an object of them (`dependentRequired`).
    Names,
    /// A type name or an array of them.
    Types,
    Boolean,
    /// Any JSON value (`const`, `enum`'s items, `default`, …).
    Json,
    /// A string: a URI reference, an anchor name, a format, free text.
    Text,
    /// A URI naming the dialect (`$schema`): checked against the dialects
    /// the generator reads.
    Dialect,
    /// An object of vocabulary URIs (`$vocabulary`).
    Vocabularies,
}

/// The shapes typed lowering builds; a keyword it enforces names the ones
/// it applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
    /// A string enum.
    Enum,
    /// A `$ref` alias.
    Ref,
    /// A schema without `type`: typed only when it asserts nothing.
    Untyped,
}

impl Kind {
    /// The kind in diagnostics ("does not apply to an array").
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Array => "an array",
            Kind::Object => "an object",
            Kind::Enum => "an enum",
            Kind::Ref => "a `$ref`",
            Kind::Untyped => "a schema without `type`",
        }
    }
}

/// What typed lowering does with a keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Typed {
    /// Stated by the Rust type (a field's type, a check) on these kinds;
    /// on any other it does not apply, and the schema is refused as typed.
    On(&'static [Kind]),
    /// Never changes which instances are valid: documentation at most.
    Annotation,
    /// No Rust type states it: a schema using it is generated as a
    /// checked JSON value (when the value lowering enforces it).
    Unsupported,
}

/// What value lowering does with a keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Valued {
    /// Becomes a rule the generated code checks.
    Enforced,
    /// Asserts nothing (draft 2020-12: content and meta-data keywords).
    Annotation,
    /// Holds subschemas that only a `$ref` reaches; lowered when (and only
    /// when) one refers to them. `then` and `else` too: beside an `if` that
    /// keyword lowers them, and alone they assert nothing (draft 2020-12
    /// §10.2.2).
    Container,
    /// Identifies a schema for `$ref`; the resource index reads it.
    Identifier,
    /// Read by a sibling (`minContains` by `contains`); parsed alone too,
    /// so a malformed one is reported without its sibling.
    Modifier,
    /// Known, not enforced: refused, naming the keyword.
    Refused,
}

/// One keyword.
#[derive(Debug)]
pub(crate) struct Keyword {
    pub(crate) name: &'static str,
    pub(crate) vocabulary: Vocabulary,
    /// Documents the keyword (and is checked against `typed` in the tests);
    /// the emitted checks apply it to these instances only.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the tests that check the table")
    )]
    pub(crate) instances: Instances,
    pub(crate) parse: Parse,
    pub(crate) typed: Typed,
    pub(crate) valued: Valued,
    /// Its subschemas apply to a part of the instance (an item, a
    /// property's value or name), never to the instance itself: a cycle of
    /// `$ref`s through it ends, as the instance is finite. Every other
    /// keyword counts as applying in place, so one added without this is
    /// refused in a cycle rather than recursing without bound.
    pub(crate) descends: bool,
}

const STRINGS: &[Kind] = &[Kind::String];
const NUMBERS: &[Kind] = &[Kind::Integer, Kind::Number];
const ARRAYS: &[Kind] = &[Kind::Array];
const OBJECTS: &[Kind] = &[Kind::Object];

/// A row, spelled compactly: most keywords neither descend nor annotate.
const fn row(
    name: &'static str,
    vocabulary: Vocabulary,
    instances: Instances,
    parse: Parse,
    typed: Typed,
    valued: Valued,
) -> Keyword {
    Keyword {
        name,
        vocabulary,
        instances,
        parse,
        typed,
        valued,
        descends: false,
    }
}

/// [`row`] for a keyword whose subschemas apply below the instance.
const fn descending(
    name: &'static str,
    vocabulary: Vocabulary,
    instances: Instances,
    parse: Parse,
    typed: Typed,
) -> Keyword {
    Keyword {
        descends: true,
        ..row(name, vocabulary, instances, parse, typed, Valued::Enforced)
    }
}

use Instances as I;
use Parse as P;
use Typed as T;
use Valued as V;
use Vocabulary as Voc;

/// Every keyword the generator knows. Any other is refused as unknown.
#[rustfmt::skip]
pub(crate) const KEYWORDS: &[Keyword] = &[
    // Core.
    row("$schema", Voc::Core, I::All, P::Dialect, T::Annotation, V::Annotation),
    row("$id", Voc::Core, I::All, P::Text, T::Annotation, V::Identifier),
    row("$ref", Voc::Core, I::All, P::Text, T::On(&[Kind::Ref]), V::Enforced),
    row("$anchor", Voc::Core, I::All, P::Text, T::Unsupported, V::Identifier),
    row("$dynamicRef", Voc::Core, I::All, P::Text, T::Unsupported, V::Enforced),
    row("$dynamicAnchor", Voc::Core, I::All, P::Text, T::Unsupported, V::Identifier),
    row("$vocabulary", Voc::Core, I::All, P::Vocabularies, T::Unsupported, V::Identifier),
    row("$comment", Voc::Core, I::All, P::Text, T::Annotation, V::Annotation),
    row("$defs", Voc::Core, I::All, P::SchemaMap, T::Unsupported, V::Container),
    // Applicator.
    descending("prefixItems", Voc::Applicator, I::Arrays, P::SchemaList, T::Unsupported),
    descending("items", Voc::Applicator, I::Arrays, P::Schema, T::On(ARRAYS)),
    descending("contains", Voc::Applicator, I::Arrays, P::Schema, T::Unsupported),
    descending("additionalProperties", Voc::Applicator, I::Objects, P::Schema, T::On(OBJECTS)),
    descending("properties", Voc::Applicator, I::Objects, P::SchemaMap, T::On(OBJECTS)),
    descending("patternProperties", Voc::Applicator, I::Objects, P::SchemaMap, T::Unsupported),
    row("dependentSchemas", Voc::Applicator, I::Objects, P::SchemaMap, T::Unsupported, V::Enforced),
    descending("propertyNames", Voc::Applicator, I::Objects, P::Schema, T::Unsupported),
    row("if", Voc::Applicator, I::All, P::Schema, T::Unsupported, V::Enforced),
    row("then", Voc::Applicator, I::All, P::Schema, T::Unsupported, V::Container),
    row("else", Voc::Applicator, I::All, P::Schema, T::Unsupported, V::Container),
    row("allOf", Voc::Applicator, I::All, P::SchemaList, T::Unsupported, V::Enforced),
    row("anyOf", Voc::Applicator, I::All, P::SchemaList, T::Unsupported, V::Enforced),
    row("oneOf", Voc::Applicator, I::All, P::SchemaList, T::Unsupported, V::Enforced),
    row("not", Voc::Applicator, I::All, P::Schema, T::Unsupported, V::Enforced),
    // Unevaluated.
    descending("unevaluatedItems", Voc::Unevaluated, I::Arrays, P::Schema, T::Unsupported),
    descending("unevaluatedProperties", Voc::Unevaluated, I::Objects, P::Schema, T::Unsupported),
    // Validation.
    row(
        "type",
        Voc::Validation,
        I::All,
        P::Types,
        T::On(&[
            Kind::String,
            Kind::Integer,
            Kind::Number,
            Kind::Boolean,
            Kind::Array,
            Kind::Object,
            Kind::Enum,
        ]),
        V::Enforced,
    ),
    row("const", Voc::Validation, I::All, P::Json, T::Unsupported, V::Enforced),
    row("enum", Voc::Validation, I::All, P::Json, T::On(&[Kind::String, Kind::Enum]), V::Enforced),
    row("multipleOf", Voc::Validation, I::Numbers, P::Number, T::Unsupported, V::Enforced),
    row("maximum", Voc::Validation, I::Numbers, P::Number, T::On(NUMBERS), V::Enforced),
    row("exclusiveMaximum", Voc::Validation, I::Numbers, P::Number, T::On(NUMBERS), V::Enforced),
    row("minimum", Voc::Validation, I::Numbers, P::Number, T::On(NUMBERS), V::Enforced),
    row("exclusiveMinimum", Voc::Validation, I::Numbers, P::Number, T::On(NUMBERS), V::Enforced),
    row("maxLength", Voc::Validation, I::Strings, P::Count, T::On(STRINGS), V::Enforced),
    row("minLength", Voc::Validation, I::Strings, P::Count, T::On(STRINGS), V::Enforced),
    row("pattern", Voc::Validation, I::Strings, P::Regex, T::On(STRINGS), V::Enforced),
    row("maxItems", Voc::Validation, I::Arrays, P::Count, T::On(ARRAYS), V::Enforced),
    row("minItems", Voc::Validation, I::Arrays, P::Count, T::On(ARRAYS), V::Enforced),
    row("uniqueItems", Voc::Validation, I::Arrays, P::Boolean, T::Unsupported, V::Enforced),
    row("maxContains", Voc::Validation, I::Arrays, P::Count, T::Unsupported, V::Modifier),
    row("minContains", Voc::Validation, I::Arrays, P::Count, T::Unsupported, V::Modifier),
    row("maxProperties", Voc::Validation, I::Objects, P::Count, T::Unsupported, V::Enforced),
    row("minProperties", Voc::Validation, I::Objects, P::Count, T::Unsupported, V::Enforced),
    row("required", Voc::Validation, I::Objects, P::Names, T::On(OBJECTS), V::Enforced),
    row("dependentRequired", Voc::Validation, I::Objects, P::Names, T::Unsupported, V::Enforced),
    // Meta-data.
    row("title", Voc::MetaData, I::All, P::Text, T::Annotation, V::Annotation),
    row("description", Voc::MetaData, I::All, P::Text, T::Annotation, V::Annotation),
    row("default", Voc::MetaData, I::All, P::Json, T::Annotation, V::Annotation),
    row("deprecated", Voc::MetaData, I::All, P::Boolean, T::Annotation, V::Annotation),
    row("readOnly", Voc::MetaData, I::All, P::Boolean, T::Annotation, V::Annotation),
    row("writeOnly", Voc::MetaData, I::All, P::Boolean, T::Annotation, V::Annotation),
    row("examples", Voc::MetaData, I::All, P::Json, T::Annotation, V::Annotation),
    // Format: typed integers and numbers read OpenAPI's `int32`, `float`, ….
    row(
        "format",
        Voc::Format,
        I::All,
        P::Text,
        T::On(&[Kind::String, Kind::Integer, Kind::Number]),
        V::Enforced,
    ),
    // Content: draft 2020-12 never validates content.
    row("contentEncoding", Voc::Content, I::Strings, P::Text, T::Unsupported, V::Annotation),
    row("contentMediaType", Voc::Content, I::Strings, P::Text, T::Unsupported, V::Annotation),
    row("contentSchema", Voc::Content, I::Strings, P::Schema, T::Unsupported, V::Annotation),
    // Draft 7's name for `$defs`, still common.
    row("definitions", Voc::Other, I::All, P::SchemaMap, T::Unsupported, V::Container),
    // OpenAPI's.
    row("example", Voc::Other, I::All, P::Json, T::Annotation, V::Annotation),
    row("nullable", Voc::Other, I::All, P::Boolean, T::Unsupported, V::Refused),
    row("discriminator", Voc::Other, I::Objects, P::Json, T::Unsupported, V::Refused),
];

/// The row of `name`, if the generator knows it.
pub(crate) fn find(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// Whether `name` is known and never asserts (in typed lowering's reading).
pub(crate) fn is_annotation(name: &str) -> bool {
    find(name).is_some_and(|k| k.typed == Typed::Annotation)
}

/// The refusal of a keyword known but not enforced.
pub(crate) fn unsupported(name: &str) -> String {
    format!("unsupported keyword `{name}`: the generator cannot enforce it yet")
}

/// The refusal of a keyword not in [`KEYWORDS`].
pub(crate) fn unknown(name: &str) -> String {
    format!("unknown keyword `{name}`")
}

/// A count (`minLength`, `maxItems`, …): a non-negative integer, which may
/// be written with a zero fraction (`2.0`). Beyond `u64` it is refused
/// rather than clamped.
pub(crate) fn count(value: &Value, key: &str) -> Result<u64, String> {
    value
        .as_u64()
        .or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1.8e19)
                .map(|f| f as u64)
        })
        .ok_or_else(|| format!("`{key}` must be a non-negative integer"))
}

/// A numeric keyword (`minimum`, `multipleOf`, …): finite, kept as written
/// (so an integer beyond 2^53 stays exact) and as an `f64`.
pub(crate) fn number<'v>(value: &'v Value, key: &str) -> Result<(&'v Number, f64), String> {
    match value {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()).map(|f| (n, f)),
        _ => None,
    }
    .ok_or_else(|| format!("`{key}` must be a number"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use referencing::meta;

    /// Each draft 2020-12 vocabulary's metaschema, as `referencing` ships
    /// it, with the vocabulary its keywords belong to.
    fn vocabularies() -> Vec<(&'static str, Vocabulary, Value)> {
        vec![
            ("core", Voc::Core, (**meta::DRAFT202012_CORE).clone()),
            (
                "applicator",
                Voc::Applicator,
                (**meta::DRAFT202012_APPLICATOR).clone(),
            ),
            (
                "unevaluated",
                Voc::Unevaluated,
                (**meta::DRAFT202012_UNEVALUATED).clone(),
            ),
            (
                "validation",
                Voc::Validation,
                (**meta::DRAFT202012_VALIDATION).clone(),
            ),
            (
                "meta-data",
                Voc::MetaData,
                (**meta::DRAFT202012_META_DATA).clone(),
            ),
            (
                "format-annotation",
                Voc::Format,
                (**meta::DRAFT202012_FORMAT_ANNOTATION).clone(),
            ),
            (
                "format-assertion",
                Voc::Format,
                (**meta::DRAFT202012_FORMAT_ASSERTION).clone(),
            ),
            (
                "content",
                Voc::Content,
                (**meta::DRAFT202012_CONTENT).clone(),
            ),
        ]
    }

    #[test]
    fn every_2020_12_keyword_has_one_row_in_its_vocabulary() {
        let mut seen = 0;
        for (name, vocabulary, schema) in vocabularies() {
            let properties = schema
                .get("properties")
                .and_then(Value::as_object)
                .unwrap_or_else(|| panic!("the {name} metaschema lists no keywords"));
            assert!(!properties.is_empty(), "{name}");
            for keyword in properties.keys() {
                let rows: Vec<&Keyword> = KEYWORDS.iter().filter(|k| k.name == keyword).collect();
                assert_eq!(
                    rows.len(),
                    1,
                    "`{keyword}` ({name}) has {} rows",
                    rows.len()
                );
                assert_eq!(rows[0].vocabulary, vocabulary, "`{keyword}`");
                seen += 1;
            }
        }
        // `format` is in two vocabularies; every other row is draft 2020-12's
        // or marked as another's.
        let others = KEYWORDS
            .iter()
            .filter(|k| k.vocabulary == Voc::Other)
            .count();
        assert_eq!(seen - 1 + others, KEYWORDS.len());
    }

    #[test]
    fn names_are_unique() {
        for (i, k) in KEYWORDS.iter().enumerate() {
            assert!(
                KEYWORDS[i + 1..].iter().all(|other| other.name != k.name),
                "`{}` twice",
                k.name
            );
        }
    }

    #[test]
    fn typed_lowering_enforces_only_what_value_lowering_does() {
        // A typed schema falls back to a value; what typed code enforces,
        // the value path must enforce too, or the two would disagree.
        for k in KEYWORDS {
            if let Typed::On(kinds) = k.typed {
                assert!(!kinds.is_empty(), "`{}`", k.name);
                assert_eq!(k.valued, Valued::Enforced, "`{}`", k.name);
            }
            if k.typed == Typed::Annotation {
                assert!(
                    matches!(k.valued, Valued::Annotation | Valued::Identifier),
                    "`{}`",
                    k.name
                );
            }
        }
    }

    #[test]
    fn typed_kinds_lie_within_the_instances() {
        for k in KEYWORDS {
            let Typed::On(kinds) = k.typed else { continue };
            for kind in kinds {
                let fits = match k.instances {
                    I::All => true,
                    I::Strings => matches!(kind, Kind::String),
                    I::Numbers => matches!(kind, Kind::Integer | Kind::Number),
                    I::Arrays => matches!(kind, Kind::Array),
                    I::Objects => matches!(kind, Kind::Object),
                };
                assert!(fits, "`{}` on {kind:?}", k.name);
            }
        }
    }

    #[test]
    fn descending_keywords_hold_schemas_and_apply_to_containers() {
        for k in KEYWORDS.iter().filter(|k| k.descends) {
            assert!(
                matches!(k.parse, P::Schema | P::SchemaList | P::SchemaMap),
                "`{}`",
                k.name
            );
            assert!(
                matches!(k.instances, I::Arrays | I::Objects),
                "`{}`",
                k.name
            );
        }
    }

    /// A schema using `k` with a well-formed value.
    fn sample(k: &Keyword) -> Value {
        use serde_json::json;
        let value = match (k.name, k.parse) {
            ("$ref" | "$dynamicRef", _) => json!("#/$defs/a"),
            ("dependentRequired", _) => json!({"a": ["b"]}),
            ("format", _) => json!("email"),
            ("enum", _) => json!([1]),
            (_, P::Count | P::Number) => json!(1),
            (_, P::Regex) => json!("^a"),
            (_, P::Schema) => json!({}),
            (_, P::SchemaList) => json!([{}]),
            (_, P::SchemaMap) => json!({"a": {}}),
            (_, P::Names) => json!(["a"]),
            (_, P::Types) => json!("string"),
            (_, P::Boolean) => json!(true),
            (_, P::Json | P::Text | P::Dialect | P::Vocabularies) => json!(1),
        };
        let mut schema = serde_json::Map::new();
        schema.insert("$defs".to_owned(), json!({"a": {}}));
        schema.insert(k.name.to_owned(), value);
        Value::Object(schema)
    }

    #[test]
    fn every_enforced_keyword_has_a_value_rule() {
        // A row marked enforced that the value lowering has no rule for is
        // refused there as unsupported: the table and `value.rs` agree.
        for k in KEYWORDS.iter().filter(|k| k.valued == Valued::Enforced) {
            let schema = sample(k);
            let document = crate::Standalone {
                name: "suite_Keyword".to_owned(),
                file: crate::SourceFile {
                    name: "schema.json".to_owned(),
                    text: schema.to_string(),
                },
                format_assertion: Some(true),
            };
            if let Err(d) = crate::generate_standalone(&crate::Config::new(), &[document]) {
                panic!("`{}` in {schema} is refused:\n{d}", k.name);
            }
        }
    }

    #[test]
    fn counts() {
        assert_eq!(count(&serde_json::json!(3), "k"), Ok(3));
        assert_eq!(count(&serde_json::json!(2.0), "k"), Ok(2));
        assert_eq!(count(&serde_json::json!(u64::MAX), "k"), Ok(u64::MAX));
        for bad in [
            serde_json::json!(-1),
            serde_json::json!(1.5),
            serde_json::json!(1e20),
            serde_json::json!("1"),
        ] {
            assert_eq!(
                count(&bad, "k"),
                Err("`k` must be a non-negative integer".to_owned()),
                "{bad}"
            );
        }
    }

    #[test]
    fn numbers() {
        assert!(number(&serde_json::json!(1.5), "k").is_ok());
        assert_eq!(
            number(&serde_json::json!("1"), "k"),
            Err("`k` must be a number".to_owned())
        );
    }
}
