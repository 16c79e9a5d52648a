//! `impl schemars::JsonSchema` (behind the `schemars` feature). Each type's
//! schema is built here as JSON data and written once, pretty-printed, into a
//! raw string; references to other generated types are `{"$ref": N}`
//! placeholders (a number, which no real `$ref` is) that the runtime's
//! `schema_with_refs` fills with `generator.subschema_for` at run time. One
//! literal instead of a `json!` expression per property: a third of the
//! output was these impls, and tokens are what generation time is spent on.

use std::str::FromStr;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::model::{IntegerFormat, NumberFormat, Shape, StringEnum, Struct, TypeDef};

/// The impl for `def`, whose schema is `schema` with `refs[N]` (expressions
/// of type `schemars::Schema`, using `generator`) at each placeholder `N`.
pub(crate) fn impl_for(def: &TypeDef, schema: &Value, refs: &[TokenStream]) -> TokenStream {
    let name = format_ident!("{}", def.path.name);
    let schema_name = &def.path.name;
    let schema_id = format!("{}::{}", def.path.modules.join("::"), def.path.name);
    let generator = if refs.is_empty() {
        quote!(_generator)
    } else {
        quote!(generator)
    };
    let text = raw_string(&serde_json::to_string_pretty(schema).unwrap_or_default());
    quote! {
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#schema_name)
            }

            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#schema_id)
            }

            fn json_schema(#generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                crate::validation::schema_with_refs(#text, &[#(#refs),*])
            }
        }
    }
}

/// An object schema: its properties as the fields' shapes, and `required`.
pub(crate) fn of_struct(cx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let mut refs = Vec::new();
    let mut properties = Map::new();
    for f in &s.fields {
        let mut property = of_shape(cx, &f.shape, &mut refs);
        describe(&mut property, f.description.as_deref());
        properties.insert(f.json_name.clone(), property);
    }
    let required: Vec<&String> = s
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| &f.json_name)
        .collect();
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "required": required,
    });
    describe(&mut schema, def.description.as_deref());
    impl_for(def, &schema, &refs)
}

/// A string enum. An open enum's schema admits any string, as its
/// deserializer does; the known values stay visible for documentation.
pub(crate) fn of_enum(def: &TypeDef, e: &StringEnum) -> TokenStream {
    let wires: Vec<&String> = e.variants.iter().map(|(w, _)| w).collect();
    let mut schema = if e.closed {
        json!({ "type": "string", "enum": wires })
    } else {
        json!({ "anyOf": [{ "enum": wires }, { "type": "string" }] })
    };
    describe(&mut schema, def.description.as_deref());
    impl_for(def, &schema, &[])
}

/// The schema of a field's shape; a reference becomes a placeholder.
fn of_shape(cx: &Ctx<'_>, shape: &Shape, refs: &mut Vec<TokenStream>) -> Value {
    match shape {
        Shape::Boolean => json!({ "type": "boolean" }),
        Shape::Any => Value::Bool(true),
        Shape::Integer(r) => {
            let format = match r.format {
                IntegerFormat::Int32 => "int32",
                IntegerFormat::Int64 => "int64",
            };
            let mut schema = json!({ "type": "integer", "format": format });
            bounds(&mut schema, &r.bounds);
            schema
        }
        Shape::Number(r) => {
            let format = match r.format {
                NumberFormat::Float => "float",
                NumberFormat::Double => "double",
            };
            let mut schema = json!({ "type": "number", "format": format });
            bounds(&mut schema, &r.bounds);
            schema
        }
        Shape::String(r) => {
            let mut schema = Map::new();
            schema.insert("type".into(), "string".into());
            if let Some(n) = r.min_length {
                schema.insert("minLength".into(), n.into());
            }
            if let Some(n) = r.max_length {
                schema.insert("maxLength".into(), n.into());
            }
            if let Some(p) = &r.pattern {
                schema.insert("pattern".into(), p.as_str().into());
            }
            Value::Object(schema)
        }
        Shape::Array(inner, r) => {
            let mut schema = Map::new();
            schema.insert("type".into(), "array".into());
            schema.insert("items".into(), of_shape(cx, inner, refs));
            if let Some(n) = r.min_items {
                schema.insert("minItems".into(), n.into());
            }
            if let Some(n) = r.max_items {
                schema.insert("maxItems".into(), n.into());
            }
            Value::Object(schema)
        }
        Shape::Map(inner) => {
            json!({ "type": "object", "additionalProperties": of_shape(cx, inner, refs) })
        }
        Shape::Ref(id) => {
            let ty = cx.type_path(cx.referenced(id).0, "");
            refs.push(quote!(generator.subschema_for::<#ty>()));
            json!({ "$ref": refs.len() - 1 })
        }
    }
}

/// Adds the bounds, integral ones written as integers (`1`, not `1.0`).
fn bounds(schema: &mut Value, b: &crate::model::Bounds) {
    let Value::Object(map) = schema else { return };
    for (keyword, n) in b.entries() {
        map.insert(keyword.into(), super::bound_value(n));
    }
}

/// Adds `"description"` when there is one.
fn describe(schema: &mut Value, description: Option<&str>) {
    if let (Value::Object(map), Some(text)) = (schema, description)
        && !text.is_empty()
    {
        map.insert("description".into(), text.into());
    }
}

/// `text` as a raw string literal, with enough `#`s that it cannot end early.
fn raw_string(text: &str) -> Literal {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    Literal::from_str(&format!("r{hashes}\"{text}\"{hashes}"))
        .unwrap_or_else(|_| Literal::string(text))
}
