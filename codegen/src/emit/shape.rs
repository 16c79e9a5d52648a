//! Per-shape code: the Rust type, its raw (unchecked) twin, the checks that
//! turn one into the other, the way back, accessors and the exported schema.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::*;
use crate::naming::Companion;

use super::Ctx;

impl<'a> Ctx<'a> {
    /// Follows aliases to the type that has a body.
    pub fn resolve(&self, id: &TypeId) -> Option<&'a TypeDef> {
        let mut def = self.space.types.get(id)?;
        // Lowering rejected alias cycles, so this ends; the bound guards anyway.
        for _ in 0..=self.space.types.len() {
            match &def.kind {
                TypeKind::Alias(target) => def = self.space.types.get(target)?,
                _ => return Some(def),
            }
        }
        None
    }

    pub fn type_path(&self, def: &TypeDef, suffix: &str) -> TokenStream {
        let modules = def.path.modules.iter().map(|m| format_ident!("{}", m));
        let name = format_ident!("{}{}", def.path.name, suffix);
        quote!(crate #(:: #modules)* :: #name)
    }

    pub fn referenced(&self, id: &TypeId) -> (&'a TypeDef, bool) {
        match self.resolve(id) {
            Some(def) => (def, matches!(def.kind, TypeKind::Enum(_))),
            // Lowering guarantees every reference resolves.
            None => unreachable!("unresolved reference {id} survived lowering"),
        }
    }

    /// The validated Rust type.
    pub fn rust_type(&self, shape: &Shape) -> TokenStream {
        match shape {
            Shape::Boolean => quote!(bool),
            Shape::Integer(r) => int_type(r.format),
            Shape::Number(_) => quote!(f64),
            Shape::String(_) => quote!(String),
            Shape::Array(inner, _) => {
                let inner = self.rust_type(inner);
                quote!(Vec<#inner>)
            }
            Shape::Map(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::collections::BTreeMap<String, #inner>)
            }
            Shape::Ref(id) => self.type_path(self.referenced(id).0, ""),
            Shape::Any => quote!(::serde_json::Value),
        }
    }

    /// The type serde fills before any check runs. Integers stay JSON literals
    /// so `1.0` counts as an integer, `1.0000000000000001` does not, and range
    /// errors name the path; enums
    /// stay strings so unknown values are reported, not serde errors. Each
    /// item and entry is `Decoded`, so a wrong JSON type is recorded where it
    /// is and decoding goes on (struct fields are wrapped by their struct).
    pub fn raw_type(&self, shape: &Shape) -> TokenStream {
        match shape {
            Shape::Boolean => quote!(bool),
            Shape::Integer(_) => quote!(crate::validation::IntegerLiteral),
            Shape::Number(_) => quote!(f64),
            Shape::String(_) => quote!(String),
            Shape::Array(inner, _) => {
                let inner = self.raw_type(inner);
                quote!(crate::validation::RawList<#inner>)
            }
            Shape::Map(inner) => {
                let inner = self.raw_type(inner);
                quote!(crate::validation::RawMap<#inner>)
            }
            Shape::Ref(id) => match self.referenced(id) {
                (_, true) => quote!(String),
                (def, false) => self.type_path(def, Companion::Raw.suffix()),
            },
            // Read noting repeated keys, which a `Value` would drop.
            Shape::Any => quote!(crate::validation::JsonRead),
        }
    }

    /// An expression of type `Option<rust_type>` that checks `raw` (an owned
    /// raw value) at `path` (a `&Path`), recording violations in `errs`.
    /// `None` means no value could be built; violations decide validity.
    pub fn validate(
        &self,
        shape: &Shape,
        raw: TokenStream,
        path: TokenStream,
        depth: usize,
    ) -> TokenStream {
        // Raw and validated scalars coincide when nothing is checked; arrays
        // and maps always unwrap their items' `Decoded`.
        if passes_through(shape) {
            return quote!(Some(#raw));
        }
        match shape {
            Shape::Boolean => quote!(Some(#raw)),
            Shape::String(_) | Shape::Number(_) | Shape::Any => {
                let checked = self.checked_value(shape, raw, path).unwrap_or_default();
                quote!(Some(#checked))
            }
            Shape::Integer(rules) => {
                let ty = int_type(rules.format);
                let range = rules.range_constraint();
                let bounds = bound_checks(&rules.bounds, &path, quote!(value as f64));
                let converted =
                    quote!(crate::validation::integer::<#ty>(&#raw, #range, #path, errs));
                if bounds.is_empty() {
                    converted
                } else {
                    quote!(#converted.inspect(|&value| { #bounds }))
                }
            }
            Shape::Ref(id) => {
                let ty = self.type_path(self.referenced(id).0, "");
                quote!(#ty::from_raw(#raw, #path, errs))
            }
            Shape::Array(inner, rules) => self.validate_array(inner, rules, raw, path, depth),
            Shape::Map(inner) => self.validate_map(inner, raw, path, depth),
        }
    }

    /// An array: its counts, then each item at its index.
    fn validate_array(
        &self,
        inner: &Shape,
        rules: &ArrayRules,
        raw: TokenStream,
        path: TokenStream,
        depth: usize,
    ) -> TokenStream {
        let item = format_ident!("item_{}", depth);
        let item_path = format_ident!("path_{}", depth);
        let index = format_ident!("index_{}", depth);
        // Bound by `let` so a temporary path (`&path.field(..)`) lives for the block.
        let parent = format_ident!("parent_{}", depth);
        let decoded = self.decoded(inner, &item, &item_path, depth);
        let counts = count_checks(rules, &quote!(#parent));
        quote!({
            let #parent: &crate::validation::Path<'_> = #path;
            let items: Vec<_> = #raw;
            #counts
            let mut out = Vec::with_capacity(items.len());
            let mut complete = true;
            for (#index, #item) in items.into_iter().enumerate() {
                let #item_path = #parent.index(#index);
                let checked = #decoded;
                match checked {
                    Some(v) => out.push(v),
                    None => complete = false,
                }
            }
            complete.then_some(out)
        })
    }

    /// A map: each entry at its key.
    fn validate_map(
        &self,
        inner: &Shape,
        raw: TokenStream,
        path: TokenStream,
        depth: usize,
    ) -> TokenStream {
        let key = format_ident!("key_{}", depth);
        let item = format_ident!("item_{}", depth);
        let item_path = format_ident!("path_{}", depth);
        let parent = format_ident!("parent_{}", depth);
        let decoded = self.decoded(inner, &item, &item_path, depth);
        quote!({
            let #parent: &crate::validation::Path<'_> = #path;
            let entries: ::std::collections::BTreeMap<String, _> = #raw;
            let mut out = ::std::collections::BTreeMap::new();
            let mut complete = true;
            for (#key, #item) in entries {
                let #item_path = #parent.key(&#key);
                let checked = #decoded;
                match checked {
                    Some(v) => {
                        out.insert(#key, v);
                    }
                    None => complete = false,
                }
            }
            complete.then_some(out)
        })
    }

    /// An item or entry of an array or map: its `Decoded` unwrapped (a wrong
    /// JSON type recorded), then checked.
    fn decoded(
        &self,
        inner: &Shape,
        item: &proc_macro2::Ident,
        item_path: &proc_macro2::Ident,
        depth: usize,
    ) -> TokenStream {
        let decoded = quote!(errs.decoded(#item, &#item_path));
        if passes_through(inner) {
            return decoded;
        }
        match self.checked_value(inner, quote!(#item), quote!(&#item_path)) {
            Some(block) => quote!(#decoded.map(|#item| #block)),
            None => {
                let check = self.validate(inner, quote!(#item), quote!(&#item_path), depth + 1);
                quote!(#decoded.and_then(|#item| #check))
            }
        }
    }

    /// For shapes whose checks never prevent building a value (strings,
    /// numbers, free-form values): a block of the checks that evaluates to
    /// the value itself.
    /// `None` for shapes whose validation can fail to produce a value.
    pub fn checked_value(
        &self,
        shape: &Shape,
        raw: TokenStream,
        path: TokenStream,
    ) -> Option<TokenStream> {
        match shape {
            Shape::Any => Some(quote!(#raw.checked(#path, errs))),
            Shape::String(rules) => {
                let checks = string_checks(rules, &quote!(&value), &path);
                Some(quote!({
                    let value: String = #raw;
                    #checks
                    value
                }))
            }
            Shape::Number(rules) => {
                let bounds = bound_checks(&rules.bounds, &path, quote!(value));
                Some(quote!({
                    let value: f64 = #raw;
                    if !value.is_finite() {
                        errs.push(#path, "finite number", ::serde_json::Value::Null);
                    }
                    #bounds
                    value
                }))
            }
            _ => None,
        }
    }

    /// Converts a validated value back to its raw form (for builders).
    pub fn to_raw(&self, shape: &Shape, value: TokenStream) -> TokenStream {
        match shape {
            // The shapes of `raw_is_validated`.
            Shape::Boolean | Shape::String(_) | Shape::Number(_) => value,
            Shape::Any => quote!(crate::validation::JsonRead::from(#value)),
            Shape::Integer(_) => quote!(crate::validation::IntegerLiteral::from(#value)),
            Shape::Ref(id) => match self.referenced(id) {
                (_, true) => quote!(#value.as_str().to_owned()),
                (_, false) => quote!(#value.into_raw()),
            },
            Shape::Array(inner, _) if raw_is_validated(inner) => {
                quote!(#value.into_iter().map(crate::validation::Decoded::Value).collect())
            }
            Shape::Array(inner, _) => {
                let each = self.to_raw(inner, quote!(v));
                quote!(#value.into_iter().map(|v| crate::validation::Decoded::Value(#each)).collect())
            }
            Shape::Map(inner) => {
                let each = self.to_raw(inner, quote!(v));
                quote!(#value.into_iter().map(|(k, v)| (k, crate::validation::Decoded::Value(#each))).collect())
            }
        }
    }

    /// The builder setter's parameter type.
    pub fn setter_param(&self, shape: &Shape) -> TokenStream {
        match shape {
            Shape::String(_) => quote!(impl ::std::convert::Into<String>),
            other => self.rust_type(other),
        }
    }

    /// Converts the setter's parameter `value` into the raw field value.
    pub fn setter_to_raw(&self, shape: &Shape) -> TokenStream {
        match shape {
            Shape::String(_) => quote!(value.into()),
            other => self.to_raw(other, quote!(value)),
        }
    }

    /// Accessor return type and body for a field.
    pub fn getter(
        &self,
        shape: &Shape,
        required: bool,
        field: &proc_macro2::Ident,
    ) -> (TokenStream, TokenStream) {
        let copy = matches!(shape, Shape::Boolean | Shape::Integer(_) | Shape::Number(_));
        match (shape, required) {
            (_, true) if copy => (self.rust_type(shape), quote!(self.#field)),
            (_, false) if copy => {
                let t = self.rust_type(shape);
                (quote!(Option<#t>), quote!(self.#field))
            }
            (Shape::String(_), true) => (quote!(&str), quote!(&self.#field)),
            (Shape::String(_), false) => (quote!(Option<&str>), quote!(self.#field.as_deref())),
            (Shape::Array(inner, _), true) => {
                let t = self.rust_type(inner);
                (quote!(&[#t]), quote!(&self.#field))
            }
            (Shape::Array(inner, _), false) => {
                let t = self.rust_type(inner);
                (quote!(Option<&[#t]>), quote!(self.#field.as_deref()))
            }
            (_, true) => {
                let t = self.rust_type(shape);
                (quote!(&#t), quote!(&self.#field))
            }
            (_, false) => {
                let t = self.rust_type(shape);
                (quote!(Option<&#t>), quote!(self.#field.as_ref()))
            }
        }
    }
}

fn int_type(format: IntegerFormat) -> TokenStream {
    match format {
        IntegerFormat::Int32 => quote!(i32),
        IntegerFormat::Int64 => quote!(i64),
    }
}

pub(crate) fn bound_checks(b: &Bounds, path: &TokenStream, as_f64: TokenStream) -> TokenStream {
    b.entries()
        .map(|(keyword, n)| super::bound_check(keyword, n, as_f64.clone(), quote!(value), path))
        .collect()
}

/// `value` is an expression of type `&str`.
pub(crate) fn string_checks(
    rules: &StringRules,
    value: &TokenStream,
    path: &TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    if rules.min_length.is_some() || rules.max_length.is_some() {
        let min = option_u64(rules.min_length);
        let max = option_u64(rules.max_length);
        out.extend(quote!(crate::validation::check_length(#value, #min, #max, #path, errs);));
    }
    if let Some(pattern) = &rules.pattern {
        out.extend(super::pattern_check(pattern, value.clone(), path));
    }
    out
}

fn count_checks(rules: &ArrayRules, path: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(n) = rules.min_items {
        let message = format!("minItems {n}");
        out.extend(quote!(if (items.len() as u64) < #n {
            errs.push(#path, #message, items.len());
        }));
    }
    if let Some(n) = rules.max_items {
        let message = format!("maxItems {n}");
        out.extend(quote!(if (items.len() as u64) > #n {
            errs.push(#path, #message, items.len());
        }));
    }
    out
}

fn option_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

/// The constraints on a value in words, for its documentation.
pub(crate) fn constraint_summary(shape: &Shape) -> Vec<String> {
    let mut out = Vec::new();
    let bounds = |b: &Bounds, out: &mut Vec<String>| {
        for (keyword, n) in b.entries() {
            out.push(format!("`{keyword}` {}", super::bound_value(n)));
        }
    };
    match shape {
        Shape::Integer(r) => bounds(&r.bounds, &mut out),
        Shape::Number(r) => bounds(&r.bounds, &mut out),
        Shape::String(r) => {
            if let Some(n) = r.min_length {
                out.push(format!("`minLength` {n}"));
            }
            if let Some(n) = r.max_length {
                out.push(format!("`maxLength` {n}"));
            }
            if let Some(p) = &r.pattern {
                out.push(format!("`pattern` `{p}`"));
            }
        }
        Shape::Array(_, r) => {
            if let Some(n) = r.min_items {
                out.push(format!("`minItems` {n}"));
            }
            if let Some(n) = r.max_items {
                out.push(format!("`maxItems` {n}"));
            }
        }
        _ => {}
    }
    out
}

/// Whether the raw and validated types are one type (no conversion back).
pub(crate) fn raw_is_validated(shape: &Shape) -> bool {
    matches!(shape, Shape::Boolean | Shape::String(_) | Shape::Number(_))
}

/// Whether the raw value is the validated value: a scalar with nothing to
/// check (arrays and maps always unwrap their items' `Decoded`).
pub(crate) fn passes_through(shape: &Shape) -> bool {
    !matches!(shape, Shape::Array(..) | Shape::Map(_)) && !has_checks(shape)
}

/// Whether a value of this shape can violate anything (and so needs the path
/// and the violation list).
pub(crate) fn has_checks(shape: &Shape) -> bool {
    match shape {
        Shape::Boolean => false,
        // A repeated key anywhere inside is a violation.
        Shape::Any => true,
        Shape::String(r) => r.min_length.is_some() || r.max_length.is_some() || r.pattern.is_some(),
        Shape::Integer(_) | Shape::Number(_) | Shape::Ref(_) => true,
        Shape::Array(inner, r) => {
            r.min_items.is_some() || r.max_items.is_some() || has_checks(inner)
        }
        Shape::Map(inner) => has_checks(inner),
    }
}
