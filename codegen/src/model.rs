//! The intermediate representation: a type space keyed by component id, each
//! type carrying the validation constraints its schema states. Lowering
//! produces it; emission consumes it; nothing else builds Rust from schemas.

use std::collections::{BTreeMap, BTreeSet};

use crate::naming::TypePath;

/// Every type of one run, ordered by id so output is deterministic, and
/// the operations of its OpenAPI document, ordered by method chain.
#[derive(Debug, Default)]
pub struct TypeSpace {
    pub types: BTreeMap<TypeId, TypeDef>,
    pub operations: Vec<Operation>,
    /// Things generated as asked, but worth telling (a fallback taken, a
    /// pattern slow elsewhere); located, in input order.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

impl TypeSpace {
    /// The types `roots` name and every type their fields (and aliases)
    /// reach, transitively.
    pub fn reachable(&self, roots: impl IntoIterator<Item = TypeId>) -> BTreeSet<TypeId> {
        let mut stack: Vec<TypeId> = roots.into_iter().collect();
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            match self.types.get(&id).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => {
                    s.fields.iter().for_each(|f| f.shape.refs(&mut stack));
                }
                Some(TypeKind::Alias(target)) => stack.push(target.clone()),
                _ => {}
            }
        }
        seen
    }
}

/// One operation of the document's `paths`: what a transport needs to send
/// it and what comes back.
#[derive(Debug)]
pub struct Operation {
    pub method: HttpMethod,
    /// The path template as written (`/v1/users/{user_id}`).
    pub path: String,
    pub operation_id: String,
    /// Resource groups, then the function name: `["users", "get"]`
    /// (`naming::OperationNames::chain`).
    pub chain: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The path's own `servers`, when it overrides the document's.
    pub servers: Vec<String>,
    /// Path parameters in path order, then query, then header parameters.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// The type of the (lowest) 2xx response.
    pub response: TypeId,
    /// The component its error responses (`4XX`, `5XX`, `default`, a code
    /// from 400) name as their JSON body; `None` when they name none.
    pub error: Option<TypeId>,
}

impl Operation {
    /// The resource groups of the chain: `["b2b", "organizations"]`.
    pub fn groups(&self) -> &[String] {
        self.chain.split_last().map_or(&[], |(_, groups)| groups)
    }

    /// The function name, the chain's last link: `get`. (Lowering never
    /// leaves the chain empty; `call` only keeps this total.)
    pub fn function(&self) -> &str {
        self.chain.last().map_or("call", String::as_str)
    }

    /// The types it names directly: its parameters', body's, response's
    /// and error's.
    pub fn types(&self) -> Vec<TypeId> {
        let mut out = Vec::new();
        self.params.iter().for_each(|p| p.shape.refs(&mut out));
        out.extend(self.body.iter().map(|b| b.ty.clone()));
        out.push(self.response.clone());
        out.extend(self.error.iter().cloned());
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// Repeating the request has the effect of sending it once (RFC 9110
    /// §9.2.2): safe to retry after a timeout. `POST` and `PATCH` are not.
    pub fn idempotent(self) -> bool {
        matches!(self, HttpMethod::Get | HttpMethod::Put | HttpMethod::Delete)
    }
}

#[derive(Debug)]
pub struct Param {
    /// The name on the wire (`user_id`, `X-Stytch-Member-Session`).
    pub name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub description: Option<String>,
    /// A scalar: string, integer, number, boolean or a string enum.
    pub shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug)]
pub struct Body {
    pub ty: TypeId,
    /// The schema declares no properties: the call takes no body argument
    /// and sends `{}`.
    pub empty: bool,
}

/// A component name (`api_otp_v1_LoginOrCreateRequestLocale`), or for an
/// inline schema, its owner's id and the JSON pointer below it.
pub type TypeId = String;

#[derive(Debug)]
pub struct TypeDef {
    pub path: TypePath,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// Where the schema came from, for diagnostics.
    pub origin: Origin,
}

/// Where a schema is: a file of the run and the JSON pointer in it.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: crate::sources::FileId,
    pub pointer: String,
}

#[derive(Debug)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    /// A component that is only a `$ref` to another.
    Alias(TypeId),
    /// A newtype over `serde_json::Value` checked by generated code.
    Value(ValueType),
}

#[derive(Debug)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Checked strictly: a request root (an operation's body or parameter
    /// type; without operations, a component named `…Request`). The
    /// generated code passes it to the runtime (`Violations::strict`), where
    /// open enums beneath it refuse unlisted values. One concept, one name:
    /// [`StringEnum::closed`] is what it implies for an enum's type.
    pub strict: bool,
}

#[derive(Debug)]
pub struct Field {
    pub json_name: String,
    pub rust_name: String,
    pub description: Option<String>,
    pub required: bool,
    pub shape: Shape,
    /// Documented only: defaults are the server's to apply, never ours.
    pub default: Option<serde_json::Value>,
}

#[derive(Debug)]
pub struct StringEnum {
    /// Wire value and variant identifier, in schema order.
    pub variants: Vec<(String, String)>,
    /// Closed enums (used only beneath [strict](Struct::strict) types) have
    /// no `Unknown` variant; open ones keep unlisted values except beneath a
    /// strict type. See `lower::mark_closed_enums`.
    pub closed: bool,
}

/// What a value is and the constraints on it.
#[derive(Debug, Clone)]
pub enum Shape {
    Boolean,
    Integer(IntegerRules),
    Number(NumberRules),
    String(StringRules),
    Array(Box<Shape>, ArrayRules),
    /// An object whose every property value has the inner shape.
    Map(Box<Shape>),
    Ref(TypeId),
    /// Any JSON value.
    Any,
}

impl Shape {
    /// Pushes the types this shape names (through arrays and maps).
    pub fn refs(&self, out: &mut Vec<TypeId>) {
        match self {
            Shape::Ref(id) => out.push(id.clone()),
            Shape::Array(inner, _) | Shape::Map(inner) => inner.refs(out),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerFormat {
    Int32,
    Int64,
}

#[derive(Debug, Clone, Default)]
pub struct Bounds {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
}

impl Bounds {
    /// Each bound that is set, under its keyword, in one fixed order.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, f64)> {
        [
            ("minimum", self.minimum),
            ("exclusiveMinimum", self.exclusive_minimum),
            ("maximum", self.maximum),
            ("exclusiveMaximum", self.exclusive_maximum),
        ]
        .into_iter()
        .filter_map(|(keyword, bound)| Some((keyword, bound?)))
    }
}

#[derive(Debug, Clone)]
pub struct IntegerRules {
    pub format: IntegerFormat,
    /// Whether the schema says `format`; without it the Rust type (`i64`)
    /// is the generator's choice, and a value beyond it is refused as such.
    pub format_stated: bool,
    pub bounds: Bounds,
}

impl IntegerRules {
    /// The violation for an integer the Rust type cannot hold: the schema's
    /// `format`, or when it states none, the type the generator chose.
    pub fn range_constraint(&self) -> &'static str {
        match (self.format, self.format_stated) {
            (IntegerFormat::Int32, true) => "format int32",
            (IntegerFormat::Int64, true) => "format int64",
            (IntegerFormat::Int32, false) => "integer in the range of i32 (the generated type)",
            (IntegerFormat::Int64, false) => "integer in the range of i64 (the generated type)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    Float,
    Double,
}

#[derive(Debug, Clone)]
pub struct NumberRules {
    pub format: NumberFormat,
    pub bounds: Bounds,
}

#[derive(Debug, Clone, Default)]
pub struct StringRules {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ArrayRules {
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

/// A schema enforced on a `serde_json::Value` by generated per-keyword code:
/// used where no Rust type states the schema exactly (no `type`, unions,
/// combinators, `additionalProperties: false`…).
#[derive(Debug)]
pub struct ValueType {
    /// Entry 0 is the type's own schema; the others are the targets of its
    /// local `$ref`s, each checked by a function of its own so that recursion
    /// (`{"$ref": "#"}`) works.
    pub nodes: Vec<ValueNode>,
    /// The schema as written, for the `schemars` impl.
    pub schema: serde_json::Value,
}

/// One schema of a [`ValueType`], lowered to its assertions.
#[derive(Debug, Clone)]
pub enum ValueNode {
    /// `true`, `{}` or only annotations: everything is valid.
    Any,
    /// `false`: nothing is valid.
    Nothing,
    /// Every rule must hold.
    Rules(Vec<Rule>),
}

/// The JSON kinds `type` names; `Integer` also admits `1.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Null,
    Boolean,
    Object,
    Array,
    Number,
    Integer,
    String,
}

/// String formats asserted (not merely annotated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    Email,
    Uri,
    DateTime,
    Date,
    Uuid,
    Ipv4,
    Ipv6,
    Hostname,
}

/// One assertion keyword. Keywords that apply to one JSON kind (`minimum`,
/// `pattern`, `items`…) hold for values of any other kind, as the
/// specification says.
#[derive(Debug, Clone)]
pub enum Rule {
    Type(Vec<JsonType>),
    Const(serde_json::Value),
    Enum(Vec<serde_json::Value>),
    /// Bounds as written: integers stay exact (see `runtime/json.rs`).
    Minimum(serde_json::Number),
    Maximum(serde_json::Number),
    ExclusiveMinimum(serde_json::Number),
    ExclusiveMaximum(serde_json::Number),
    MultipleOf(f64),
    MinLength(u64),
    MaxLength(u64),
    Pattern(String),
    Format(StringFormat),
    MinItems(u64),
    MaxItems(u64),
    UniqueItems,
    PrefixItems(Vec<ValueNode>),
    /// Items after the first `prefix` ones (those `prefixItems` covers).
    Items {
        prefix: usize,
        node: Box<ValueNode>,
    },
    /// At least `min` and at most `max` items hold to the schema (`contains`
    /// with its `minContains`, default 1, and `maxContains`).
    Contains {
        node: Box<ValueNode>,
        min: u64,
        max: Option<u64>,
    },
    /// Items that no sibling rule evaluated hold to the schema. The
    /// evaluated items are those of the sibling `prefixItems`, `items`,
    /// `contains` (the items it matches), and, through in-place applicators
    /// (`allOf`, `$ref`, `dependentSchemas`, and the *valid* branches of
    /// `anyOf`, `oneOf`, `if`/`then`/`else`), of the subschemas' own (draft
    /// 2020-12, section 11.2). `not` contributes none.
    UnevaluatedItems(Box<ValueNode>),
    MinProperties(u64),
    MaxProperties(u64),
    /// When the object has the property, it has each of the listed ones.
    DependentRequired(Vec<(String, Vec<String>)>),
    /// When the object has the property, it holds to the schema.
    DependentSchemas(Vec<(String, ValueNode)>),
    Properties(Vec<(String, ValueNode)>),
    /// Each property whose name an (unanchored, ECMA-262) pattern matches
    /// holds to that pattern's schema; a name may match several.
    PatternProperties(Vec<(String, ValueNode)>),
    Required(Vec<String>),
    /// Properties neither named in `properties` nor matched by a pattern of
    /// `patternProperties`.
    AdditionalProperties {
        known: Vec<String>,
        patterns: Vec<String>,
        node: Box<ValueNode>,
    },
    /// Every property name, as a JSON string, holds to the schema.
    PropertyNames(Box<ValueNode>),
    /// Properties that no sibling rule evaluated hold to the schema. The
    /// evaluated names are those of the sibling `properties`,
    /// `patternProperties`, `additionalProperties`, and, through in-place
    /// applicators (`allOf`, `$ref`, and the *valid* branches of `anyOf`,
    /// `oneOf`, `if`/`then`/`else`), of the subschemas' own (draft 2020-12,
    /// section 11.3). `not` contributes none.
    UnevaluatedProperties(Box<ValueNode>),
    /// `then` applies when `condition` holds, `otherwise` (`else`) when not;
    /// either may be absent.
    IfThenElse {
        condition: Box<ValueNode>,
        then: Option<Box<ValueNode>>,
        otherwise: Option<Box<ValueNode>>,
    },
    AllOf(Vec<ValueNode>),
    AnyOf(Vec<ValueNode>),
    OneOf(Vec<ValueNode>),
    Not(Box<ValueNode>),
    /// A local `$ref`: index into [`ValueType::nodes`].
    Ref(usize),
}
