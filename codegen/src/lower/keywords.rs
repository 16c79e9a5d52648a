//! Every keyword the generator knows, one row each: its vocabulary, the
//! instances it constrains, how its value parses, and what each lowering
//! does with it. Typed lowering (`lower.rs`) and value lowering
//! (`lower/value.rs`) both read this table and its parsers, so a keyword is
//! added here (and given a test), not in two lists that can drift apart.
//!
//! An enforced keyword's row also says how its rule is built ([`Enforce`]):
//! where the value maps straight to a rule, the row holds the `Rule`
//! constructor under its parse shape (`Enforce::Count(Rule::MinLength)`);
//! a keyword that reads its siblings or checks more than its shape names a
//! builder of its own, which `lower/value.rs` matches once. So every
//! enforced row has a rule by construction, and no keyword name is matched.

use serde_json::{Number, Value};

use crate::model::{JsonType, Rule, ValueNode};

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
    /// An array of strings (`required`).
    Names,
    /// An object of arrays of strings, by property name
    /// (`dependentRequired`).
    NameLists,
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
#[derive(Clone, Copy, Debug)]
pub(crate) enum Valued {
    /// Becomes a rule the generated code checks, built as stated.
    Enforced(Enforce),
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

/// How value lowering builds an enforced keyword's rule. A variant holding
/// a constructor parses the value as its [`Parse`] shape and wraps it; the
/// others name a builder in `lower/value.rs` (`ValueLowering::rule`), for a
/// keyword that reads its siblings or checks more than its shape.
#[derive(Clone, Copy)]
pub(crate) enum Enforce {
    /// A count ([`count`]).
    Count(fn(u64) -> Rule),
    /// A numeric bound, kept as written ([`number`]).
    Bound(fn(Number) -> Rule),
    /// A regular expression applied to string instances.
    Regex(fn(String) -> Rule),
    /// Any JSON value, as written.
    Json(fn(Value) -> Rule),
    /// An array of strings.
    Names(fn(Vec<String>) -> Rule),
    /// A type name or an array of them.
    Types(fn(Vec<JsonType>) -> Rule),
    /// A subschema.
    Schema(fn(Box<ValueNode>) -> Rule),
    /// A non-empty array of subschemas.
    SchemaList(fn(Vec<ValueNode>) -> Rule),
    /// An object of subschemas by property name.
    SchemaMap(fn(Vec<(String, ValueNode)>) -> Rule),
    /// `enum`: an array, of bounded length.
    Enum,
    /// `multipleOf`: a number greater than 0.
    MultipleOf,
    /// `uniqueItems`: a boolean, `false` asserting nothing.
    UniqueItems,
    /// `format`: asserted or not by the configuration and the dialect.
    Format,
    /// `dependentRequired`: an object of arrays of strings.
    DependentRequired,
    /// `patternProperties`: an object of subschemas by pattern.
    PatternProperties,
    /// `items`, after the sibling `prefixItems`.
    Items,
    /// `contains`, with the sibling `minContains` and `maxContains`.
    Contains,
    /// `if`, with the sibling `then` and `else`.
    IfThenElse,
    /// `additionalProperties`, beside `properties` and `patternProperties`.
    AdditionalProperties,
    /// `$ref`, or `$dynamicRef` (resolved in the dynamic scope).
    Reference { dynamic: bool },
}

// By hand: a derived `Debug` prints each constructor's address, which
// differs between builds and says nothing to a reader.
impl std::fmt::Debug for Enforce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // (variant, whether it holds a constructor)
        let (name, constructor) = match self {
            E::Count(_) => ("Count", true),
            E::Bound(_) => ("Bound", true),
            E::Regex(_) => ("Regex", true),
            E::Json(_) => ("Json", true),
            E::Names(_) => ("Names", true),
            E::Types(_) => ("Types", true),
            E::Schema(_) => ("Schema", true),
            E::SchemaList(_) => ("SchemaList", true),
            E::SchemaMap(_) => ("SchemaMap", true),
            E::Enum => ("Enum", false),
            E::MultipleOf => ("MultipleOf", false),
            E::UniqueItems => ("UniqueItems", false),
            E::Format => ("Format", false),
            E::DependentRequired => ("DependentRequired", false),
            E::PatternProperties => ("PatternProperties", false),
            E::Items => ("Items", false),
            E::Contains => ("Contains", false),
            E::IfThenElse => ("IfThenElse", false),
            E::AdditionalProperties => ("AdditionalProperties", false),
            E::Reference { dynamic } => {
                return f
                    .debug_struct("Reference")
                    .field("dynamic", dynamic)
                    .finish();
            }
        };
        if constructor {
            write!(f, "{name}(..)")
        } else {
            f.write_str(name)
        }
    }
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

/// [`row`] for an enforced keyword.
const fn enforced(
    name: &'static str,
    vocabulary: Vocabulary,
    instances: Instances,
    parse: Parse,
    typed: Typed,
    enforce: Enforce,
) -> Keyword {
    row(
        name,
        vocabulary,
        instances,
        parse,
        typed,
        Valued::Enforced(enforce),
    )
}

/// [`enforced`], for a keyword whose subschemas apply below the instance.
const fn descending(
    name: &'static str,
    vocabulary: Vocabulary,
    instances: Instances,
    parse: Parse,
    typed: Typed,
    enforce: Enforce,
) -> Keyword {
    Keyword {
        descends: true,
        ..enforced(name, vocabulary, instances, parse, typed, enforce)
    }
}

use Enforce as E;
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
    enforced("$ref", Voc::Core, I::All, P::Text, T::On(&[Kind::Ref]), E::Reference { dynamic: false }),
    row("$anchor", Voc::Core, I::All, P::Text, T::Unsupported, V::Identifier),
    enforced("$dynamicRef", Voc::Core, I::All, P::Text, T::Unsupported, E::Reference { dynamic: true }),
    row("$dynamicAnchor", Voc::Core, I::All, P::Text, T::Unsupported, V::Identifier),
    row("$vocabulary", Voc::Core, I::All, P::Vocabularies, T::Unsupported, V::Identifier),
    row("$comment", Voc::Core, I::All, P::Text, T::Annotation, V::Annotation),
    row("$defs", Voc::Core, I::All, P::SchemaMap, T::Unsupported, V::Container),
    // Applicator.
    descending("prefixItems", Voc::Applicator, I::Arrays, P::SchemaList, T::Unsupported, E::SchemaList(Rule::PrefixItems)),
    descending("items", Voc::Applicator, I::Arrays, P::Schema, T::On(ARRAYS), E::Items),
    descending("contains", Voc::Applicator, I::Arrays, P::Schema, T::Unsupported, E::Contains),
    descending("additionalProperties", Voc::Applicator, I::Objects, P::Schema, T::On(OBJECTS), E::AdditionalProperties),
    descending("properties", Voc::Applicator, I::Objects, P::SchemaMap, T::On(OBJECTS), E::SchemaMap(Rule::Properties)),
    descending("patternProperties", Voc::Applicator, I::Objects, P::SchemaMap, T::Unsupported, E::PatternProperties),
    enforced("dependentSchemas", Voc::Applicator, I::Objects, P::SchemaMap, T::Unsupported, E::SchemaMap(Rule::DependentSchemas)),
    descending("propertyNames", Voc::Applicator, I::Objects, P::Schema, T::Unsupported, E::Schema(Rule::PropertyNames)),
    enforced("if", Voc::Applicator, I::All, P::Schema, T::Unsupported, E::IfThenElse),
    row("then", Voc::Applicator, I::All, P::Schema, T::Unsupported, V::Container),
    row("else", Voc::Applicator, I::All, P::Schema, T::Unsupported, V::Container),
    enforced("allOf", Voc::Applicator, I::All, P::SchemaList, T::Unsupported, E::SchemaList(Rule::AllOf)),
    enforced("anyOf", Voc::Applicator, I::All, P::SchemaList, T::Unsupported, E::SchemaList(Rule::AnyOf)),
    enforced("oneOf", Voc::Applicator, I::All, P::SchemaList, T::Unsupported, E::SchemaList(Rule::OneOf)),
    enforced("not", Voc::Applicator, I::All, P::Schema, T::Unsupported, E::Schema(Rule::Not)),
    // Unevaluated.
    descending("unevaluatedItems", Voc::Unevaluated, I::Arrays, P::Schema, T::Unsupported, E::Schema(Rule::UnevaluatedItems)),
    descending("unevaluatedProperties", Voc::Unevaluated, I::Objects, P::Schema, T::Unsupported, E::Schema(Rule::UnevaluatedProperties)),
    // Validation.
    enforced(
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
        E::Types(Rule::Type),
    ),
    enforced("const", Voc::Validation, I::All, P::Json, T::Unsupported, E::Json(Rule::Const)),
    enforced("enum", Voc::Validation, I::All, P::Json, T::On(&[Kind::String, Kind::Enum]), E::Enum),
    enforced("multipleOf", Voc::Validation, I::Numbers, P::Number, T::Unsupported, E::MultipleOf),
    enforced("maximum", Voc::Validation, I::Numbers, P::Number, T::On(NUMBERS), E::Bound(Rule::Maximum)),
    enforced("exclusiveMaximum", Voc::Validation, I::Numbers, P::Number, T::On(NUMBERS), E::Bound(Rule::ExclusiveMaximum)),
    enforced("minimum", Voc::Validation, I::Numbers, P::Number, T::On(NUMBERS), E::Bound(Rule::Minimum)),
    enforced("exclusiveMinimum", Voc::Validation, I::Numbers, P::Number, T::On(NUMBERS), E::Bound(Rule::ExclusiveMinimum)),
    enforced("maxLength", Voc::Validation, I::Strings, P::Count, T::On(STRINGS), E::Count(Rule::MaxLength)),
    enforced("minLength", Voc::Validation, I::Strings, P::Count, T::On(STRINGS), E::Count(Rule::MinLength)),
    enforced("pattern", Voc::Validation, I::Strings, P::Regex, T::On(STRINGS), E::Regex(Rule::Pattern)),
    enforced("maxItems", Voc::Validation, I::Arrays, P::Count, T::On(ARRAYS), E::Count(Rule::MaxItems)),
    enforced("minItems", Voc::Validation, I::Arrays, P::Count, T::On(ARRAYS), E::Count(Rule::MinItems)),
    enforced("uniqueItems", Voc::Validation, I::Arrays, P::Boolean, T::Unsupported, E::UniqueItems),
    row("maxContains", Voc::Validation, I::Arrays, P::Count, T::Unsupported, V::Modifier),
    row("minContains", Voc::Validation, I::Arrays, P::Count, T::Unsupported, V::Modifier),
    enforced("maxProperties", Voc::Validation, I::Objects, P::Count, T::Unsupported, E::Count(Rule::MaxProperties)),
    enforced("minProperties", Voc::Validation, I::Objects, P::Count, T::Unsupported, E::Count(Rule::MinProperties)),
    enforced("required", Voc::Validation, I::Objects, P::Names, T::On(OBJECTS), E::Names(Rule::Required)),
    enforced("dependentRequired", Voc::Validation, I::Objects, P::NameLists, T::Unsupported, E::DependentRequired),
    // Meta-data.
    row("title", Voc::MetaData, I::All, P::Text, T::Annotation, V::Annotation),
    row("description", Voc::MetaData, I::All, P::Text, T::Annotation, V::Annotation),
    row("default", Voc::MetaData, I::All, P::Json, T::Annotation, V::Annotation),
    row("deprecated", Voc::MetaData, I::All, P::Boolean, T::Annotation, V::Annotation),
    row("readOnly", Voc::MetaData, I::All, P::Boolean, T::Annotation, V::Annotation),
    row("writeOnly", Voc::MetaData, I::All, P::Boolean, T::Annotation, V::Annotation),
    row("examples", Voc::MetaData, I::All, P::Json, T::Annotation, V::Annotation),
    // Format: typed integers and numbers read OpenAPI's `int32`, `float`, ….
    enforced(
        "format",
        Voc::Format,
        I::All,
        P::Text,
        T::On(&[Kind::String, Kind::Integer, Kind::Number]),
        E::Format,
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
    fn a_rule_constructor_is_shown_by_its_variant_not_its_address() {
        let shown = |name| find(name).map(|k| format!("{:?}", k.valued));
        assert_eq!(shown("minLength").as_deref(), Some("Enforced(Count(..))"));
        assert_eq!(shown("enum").as_deref(), Some("Enforced(Enum)"));
        assert_eq!(
            shown("$dynamicRef").as_deref(),
            Some("Enforced(Reference { dynamic: true })")
        );
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
                assert!(matches!(k.valued, Valued::Enforced(_)), "`{}`", k.name);
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
            ("format", _) => json!("email"),
            ("enum", _) => json!([1]),
            (_, P::Count | P::Number) => json!(1),
            (_, P::Regex) => json!("^a"),
            (_, P::Schema) => json!({}),
            (_, P::SchemaList) => json!([{}]),
            (_, P::SchemaMap) => json!({"a": {}}),
            (_, P::Names) => json!(["a"]),
            (_, P::NameLists) => json!({"a": ["b"]}),
            (_, P::Types) => json!("string"),
            (_, P::Boolean) => json!(true),
            (_, P::Json | P::Text | P::Dialect | P::Vocabularies) => json!(1),
        };
        let mut schema = serde_json::Map::new();
        schema.insert("$defs".to_owned(), json!({"a": {}}));
        schema.insert(k.name.to_owned(), value);
        Value::Object(schema)
    }

    /// The shape of value that `enforce` reads: written out per variant, so
    /// a new one states it.
    fn parse_of(enforce: Enforce) -> Parse {
        match enforce {
            E::Count(_) => P::Count,
            E::Bound(_) | E::MultipleOf => P::Number,
            E::Regex(_) => P::Regex,
            E::Json(_) | E::Enum => P::Json,
            E::Names(_) => P::Names,
            E::DependentRequired => P::NameLists,
            E::Types(_) => P::Types,
            E::Schema(_) | E::Items | E::Contains | E::IfThenElse | E::AdditionalProperties => {
                P::Schema
            }
            E::SchemaList(_) => P::SchemaList,
            E::SchemaMap(_) | E::PatternProperties => P::SchemaMap,
            E::UniqueItems => P::Boolean,
            E::Format | E::Reference { .. } => P::Text,
        }
    }

    #[test]
    fn each_enforced_rule_parses_as_its_row_says() {
        // The resource index and typed lowering read `parse`, value lowering
        // reads `Enforce`: the two columns of a row must not drift apart.
        for k in KEYWORDS {
            if let Valued::Enforced(enforce) = k.valued {
                assert_eq!(k.parse, parse_of(enforce), "`{}`", k.name);
            }
        }
    }

    #[test]
    fn every_enforced_keyword_accepts_a_well_formed_value() {
        // Each row's rule builder, run through the whole generator on a
        // sample value of the row's parse shape.
        for k in KEYWORDS
            .iter()
            .filter(|k| matches!(k.valued, Valued::Enforced(_)))
        {
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
