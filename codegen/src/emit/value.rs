//! A type validated as a `serde_json::Value`: a newtype whose checks are
//! generated per keyword, one function per schema node that `$ref` reaches.
//! Each keyword's code records a `Violation` (path, constraint, value); the
//! combinators test a subschema by checking into a scratch list.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::{JsonType, Rule, StringFormat, TypeDef, ValueNode, ValueType};

pub(crate) fn emit(def: &TypeDef, v: &ValueType) -> TokenStream {
    let name = format_ident!("{}", def.path.name);
    let raw = format_ident!(
        "{}",
        crate::naming::companion(&def.path.name, crate::naming::Companion::Raw)
    );
    let doc = super::type_doc(def);
    // Any member, at any depth, may be a credential (`RedactedJson`).
    let label = def.path.name.as_str();
    let functions = reachable(
        check_functions(v)
            .chain(evaluated_functions(v))
            .chain(evaluated_items_functions(v))
            .collect(),
    );
    let methods = methods(&raw);
    quote! {
        #doc
        ///
        /// Held as JSON: no Rust type states this schema exactly, so every
        /// keyword is checked on the value when it is deserialized.
        #[derive(Clone, PartialEq, ::serde::Serialize)]
        #[serde(transparent)]
        pub struct #name(::serde_json::Value);

        impl ::core::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_tuple(#label).field(&crate::validation::RedactedJson(&self.0)).finish()
            }
        }

        /// The JSON as read, with the keys it repeats (reported as violations).
        pub(crate) type #raw = crate::json::Read;

        impl #name {
            #methods

            #(#functions)*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <crate::validation::Decoded<#raw> as ::serde::Deserialize>::deserialize(deserializer)?;
                crate::validation::deserialize_decoded(false, raw, Self::from_raw)
            }
        }

    }
}

/// The public and crate-internal methods every value type has, its raw
/// companion being `raw`.
fn methods(raw: &proc_macro2::Ident) -> TokenStream {
    quote! {
        /// Checks `value` against the schema, returning every violation.
        #[inline]
        pub fn try_from_value(
            value: ::serde_json::Value,
        ) -> Result<Self, crate::validation::ValidationError> {
            crate::validation::validate_root(false, |path, errs| {
                Self::from_raw(crate::json::Read::from(value), path, errs)
            })
        }

        /// The JSON value.
        #[inline]
        pub fn get(&self) -> &::serde_json::Value {
            &self.0
        }

        /// The JSON value, by value.
        #[inline]
        pub fn into_inner(self) -> ::serde_json::Value {
            self.into_raw().value
        }

        /// Records every violation; the value is kept either way, so the
        /// violations alone decide validity.
        #[inline]
        pub(crate) fn from_raw(
            raw: #raw,
            path: &crate::validation::Path<'_>,
            errs: &mut crate::validation::Violations,
        ) -> Option<Self> {
            raw.report(path, errs);
            Self::check_0(&raw.value, path, errs);
            Some(Self(raw.value))
        }

        #[inline]
        pub(crate) fn into_raw(self) -> #raw {
            crate::json::Read::from(self.0)
        }
    }
}

/// The functions `from_raw` calls, directly or through one another, in
/// their order; the rest dropped. Which `check_N`, `evaluated_N` and
/// `evaluated_items_N` a type uses is only known once their bodies are
/// emitted (a constant `unevaluatedProperties: true`, or an `if` with no
/// `then` or `else`, emits no call), and an unused one is dead code, a
/// warning in the generated crate.
fn reachable(functions: Vec<(proc_macro2::Ident, TokenStream)>) -> Vec<TokenStream> {
    /// Every identifier in `tokens`, groups included.
    fn idents(tokens: &TokenStream, out: &mut Vec<proc_macro2::Ident>) {
        for tree in tokens.clone() {
            match tree {
                proc_macro2::TokenTree::Ident(i) => out.push(i),
                proc_macro2::TokenTree::Group(g) => idents(&g.stream(), out),
                _ => {}
            }
        }
    }
    let index: std::collections::HashMap<String, usize> = functions
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name.to_string(), i))
        .collect();
    let mut used = vec![false; functions.len()];
    let mut pending: Vec<usize> = index.get("check_0").copied().into_iter().collect();
    while let Some(i) = pending.pop() {
        if std::mem::replace(&mut used[i], true) {
            continue;
        }
        let mut names = Vec::new();
        idents(&functions[i].1, &mut names);
        pending.extend(names.iter().filter_map(|n| index.get(&n.to_string())));
    }
    functions
        .into_iter()
        .zip(used)
        .filter_map(|((_, f), used)| used.then_some(f))
        .collect()
}

/// One `check_{i}` function per schema node that `$ref` reaches.
fn check_functions(v: &ValueType) -> impl Iterator<Item = (proc_macro2::Ident, TokenStream)> + '_ {
    v.nodes.iter().enumerate().map(|(i, node)| {
        let f = format_ident!("check_{}", i);
        let body = node_checks(node, &quote!(value), &quote!(path), 0);
        let body = if body.is_empty() {
            quote!(let _ = (value, path, errs);)
        } else {
            body
        };
        let function = quote! {
            fn #f(
                value: &::serde_json::Value,
                path: &crate::validation::Path<'_>,
                errs: &mut crate::validation::Violations,
            ) {
                #body
            }
        };
        (f, function)
    })
}

/// What `unevaluatedProperties` needs: the names each `$ref` target
/// evaluates, one function per target it reaches.
fn evaluated_functions(
    v: &ValueType,
) -> impl Iterator<Item = (proc_macro2::Ident, TokenStream)> + '_ {
    let targets = evaluated_targets(v, |r| matches!(r, Rule::UnevaluatedProperties(_)));
    targets.into_iter().map(|i| {
        let f = format_ident!("evaluated_{}", i);
        let collect = v
            .nodes
            .get(i)
            .map(|node| evaluated_collect(node, &quote!(value), &quote!(path), 0))
            .unwrap_or_default();
        let function = quote! {
            /// Adds the property names this schema evaluates in `value`.
            fn #f<'v>(
                value: &'v ::serde_json::Value,
                path: &crate::validation::Path<'_>,
                errs: &mut crate::validation::Violations,
                evaluated: &mut ::std::collections::BTreeSet<&'v str>,
            ) {
                let _ = (&value, &path, &errs, &evaluated);
                #collect
            }
        };
        (f, function)
    })
}

/// The same for `unevaluatedItems`: the items each target evaluates.
fn evaluated_items_functions(
    v: &ValueType,
) -> impl Iterator<Item = (proc_macro2::Ident, TokenStream)> + '_ {
    let targets = evaluated_targets(v, |r| matches!(r, Rule::UnevaluatedItems(_)));
    targets.into_iter().map(|i| {
        let f = format_ident!("evaluated_items_{}", i);
        let collect = v
            .nodes
            .get(i)
            .map(|node| evaluated_items_collect(node, &quote!(value), &quote!(path), 0))
            .unwrap_or_default();
        let function = quote! {
            /// Marks the items of `value` this schema evaluates.
            fn #f(
                value: &::serde_json::Value,
                path: &crate::validation::Path<'_>,
                errs: &mut crate::validation::Violations,
                evaluated_items: &mut [bool],
            ) {
                let _ = (&value, &path, &errs, &evaluated_items);
                #collect
            }
        };
        (f, function)
    })
}

/// Whether any type needs the `formats` runtime.
pub(crate) fn uses_formats(v: &ValueType) -> bool {
    uses_rule(v, &|r| matches!(r, Rule::Format(_)))
}

/// Every pattern of `v` (value patterns and property-name patterns), to pick
/// the engines the output needs.
pub(crate) fn patterns<'v>(v: &'v ValueType, out: &mut Vec<&'v str>) {
    fn node<'v>(n: &'v ValueNode, out: &mut Vec<&'v str>) {
        if let ValueNode::Rules(rules) = n {
            for r in rules {
                match r {
                    Rule::Pattern(p) => out.push(p),
                    Rule::PatternProperties(ps) => out.extend(ps.iter().map(|(p, _)| p.as_str())),
                    Rule::AdditionalProperties { patterns, .. } => {
                        out.extend(patterns.iter().map(String::as_str));
                    }
                    _ => {}
                }
                for n in subnodes(r) {
                    node(n, out);
                }
            }
        }
    }
    for n in &v.nodes {
        node(n, out);
    }
}

/// Whether any rule, at any depth, satisfies `wanted`.
fn uses_rule(v: &ValueType, wanted: &dyn Fn(&Rule) -> bool) -> bool {
    fn node(n: &ValueNode, wanted: &dyn Fn(&Rule) -> bool) -> bool {
        match n {
            ValueNode::Rules(rules) => rules.iter().any(|r| rule(r, wanted)),
            _ => false,
        }
    }
    fn rule(r: &Rule, wanted: &dyn Fn(&Rule) -> bool) -> bool {
        wanted(r) || subnodes(r).into_iter().any(|n| node(n, wanted))
    }
    v.nodes.iter().any(|n| node(n, wanted))
}

/// Statements checking `value` (a `&Value` expression) at `path` (a `&Path`
/// expression) against `node`, pushing onto `errs`.
fn node_checks(
    node: &ValueNode,
    value: &TokenStream,
    path: &TokenStream,
    depth: usize,
) -> TokenStream {
    match node {
        ValueNode::Any => TokenStream::new(),
        ValueNode::Nothing => quote!(errs.push(#path, "false schema", (#value).clone());),
        ValueNode::Rules(rules) => rules
            .iter()
            .map(|r| rule_checks(r, rules, value, path, depth))
            .collect(),
    }
}

/// A `bool` expression: whether `value` is valid against `node`. Checks into
/// a scratch list so that a failing branch of `anyOf`/`oneOf`/`not` records
/// nothing in the real one.
fn is_valid(
    node: &ValueNode,
    value: &TokenStream,
    path: &TokenStream,
    depth: usize,
) -> TokenStream {
    match node {
        ValueNode::Any => quote!(true),
        ValueNode::Nothing => quote!(false),
        ValueNode::Rules(_) => {
            let checks = node_checks(node, value, path, depth);
            if checks.is_empty() {
                // Only annotations (or rules with nothing to check).
                return quote!(true);
            }
            quote!({
                let mut scratch = errs.scratch();
                {
                    let errs = &mut scratch;
                    #checks
                }
                scratch.finish(Some(())).is_ok()
            })
        }
    }
}

/// The checks of `rule`, one of `siblings` (the rules of its schema, which
/// `unevaluatedProperties` needs).
fn rule_checks(
    rule: &Rule,
    siblings: &[Rule],
    value: &TokenStream,
    path: &TokenStream,
    depth: usize,
) -> TokenStream {
    let d = depth + 1;
    match rule {
        Rule::Type(types) => type_check(types, value, path),
        Rule::Const(expected) => const_check(expected, value, path),
        Rule::Enum(allowed) => enum_check(allowed, value, path),
        Rule::Minimum(b) => bound(value, path, "minimum", b),
        Rule::ExclusiveMinimum(b) => bound(value, path, "exclusiveMinimum", b),
        Rule::Maximum(b) => bound(value, path, "maximum", b),
        Rule::ExclusiveMaximum(b) => bound(value, path, "exclusiveMaximum", b),
        Rule::MultipleOf(m) => multiple_of_check(*m, value, path),
        Rule::MinLength(n) => length_check(quote!(Some(#n)), quote!(None), value, path),
        Rule::MaxLength(n) => length_check(quote!(None), quote!(Some(#n)), value, path),
        Rule::Pattern(p) => {
            let check = super::pattern_check(p, quote!(s), path);
            quote!(if let ::serde_json::Value::String(s) = #value #check)
        }
        Rule::Format(f) => format_check(*f, value, path),
        Rule::MinItems(n) => size_check(Size::MinItems, *n, value, path),
        Rule::MaxItems(n) => size_check(Size::MaxItems, *n, value, path),
        Rule::UniqueItems => unique_check(value, path),
        Rule::PrefixItems(nodes) => prefix_items_checks(nodes, value, path, d),
        Rule::Items { prefix, node } => items_checks(*prefix, node, value, path, d),
        Rule::Contains { node, min, max } => contains_checks(node, *min, *max, value, path, d),
        Rule::UnevaluatedItems(node) => unevaluated_items_checks(node, siblings, value, path, d),
        Rule::MinProperties(n) => size_check(Size::MinProperties, *n, value, path),
        Rule::MaxProperties(n) => size_check(Size::MaxProperties, *n, value, path),
        Rule::DependentRequired(deps) => dependent_required_checks(deps, value, path),
        Rule::DependentSchemas(deps) => dependent_schemas_checks(deps, value, path, d),
        Rule::Properties(props) => properties_checks(props, value, path, d),
        Rule::Required(names) => required_checks(names, value, path),
        Rule::PatternProperties(patterns) => pattern_properties_checks(patterns, value, path, d),
        Rule::PropertyNames(node) => property_names_checks(node, value, path, d),
        Rule::UnevaluatedProperties(node) => {
            unevaluated_properties_checks(node, siblings, value, path, d)
        }
        Rule::IfThenElse {
            condition,
            then,
            otherwise,
        } => {
            let (then, otherwise) = (then.as_deref(), otherwise.as_deref());
            if_then_else_checks(condition, then, otherwise, value, path, d)
        }
        Rule::AdditionalProperties {
            known,
            patterns,
            node,
        } => additional_properties_checks(known, patterns, node, value, path, d),
        Rule::AllOf(nodes) => nodes
            .iter()
            .map(|n| node_checks(n, value, path, d))
            .collect(),
        Rule::AnyOf(nodes) => any_of_checks(nodes, value, path, d),
        Rule::OneOf(nodes) => one_of_checks(nodes, value, path, d),
        Rule::Not(node) => not_checks(node, value, path, d),
        Rule::Ref(index) => {
            let f = format_ident!("check_{}", index);
            quote!(Self::#f(#value, #path, errs);)
        }
    }
}

fn const_check(expected: &Value, value: &TokenStream, path: &TokenStream) -> TokenStream {
    let expected_tokens = value_tokens(expected);
    let label = format!("const {expected}");
    quote!({
        static EXPECTED: ::std::sync::LazyLock<::serde_json::Value> =
            ::std::sync::LazyLock::new(|| #expected_tokens);
        if !crate::json::equal(#value, &EXPECTED) {
            errs.push(#path, #label, (#value).clone());
        }
    })
}

fn enum_check(allowed: &[Value], value: &TokenStream, path: &TokenStream) -> TokenStream {
    let items = allowed.iter().map(value_tokens);
    let label = format!("enum {}", Value::Array(allowed.to_vec()));
    quote!({
        static ALLOWED: ::std::sync::LazyLock<Vec<::serde_json::Value>> =
            ::std::sync::LazyLock::new(|| ::std::vec![#(#items),*]);
        if !ALLOWED.iter().any(|allowed| crate::json::equal(#value, allowed)) {
            errs.push(#path, #label, (#value).clone());
        }
    })
}

fn multiple_of_check(m: f64, value: &TokenStream, path: &TokenStream) -> TokenStream {
    let lit = Literal::f64_suffixed(m);
    let label = format!("multipleOf {}", Value::from(m));
    when_matches(
        value,
        quote!(::serde_json::Value::Number(n)),
        quote!(!crate::json::multiple_of(n, #lit)),
        quote!(errs.push(#path, #label, (#value).clone());),
    )
}

/// `minLength` (with `min` an `Option<u64>` expression) or `maxLength`.
fn length_check(
    min: TokenStream,
    max: TokenStream,
    value: &TokenStream,
    path: &TokenStream,
) -> TokenStream {
    quote!(if let ::serde_json::Value::String(s) = #value {
        crate::validation::check_length(s, #min, #max, #path, errs);
    })
}

fn format_check(f: StringFormat, value: &TokenStream, path: &TokenStream) -> TokenStream {
    let (func, name) = match f {
        StringFormat::Email => ("is_email", "email"),
        StringFormat::Uri => ("is_uri", "uri"),
        StringFormat::DateTime => ("is_date_time", "date-time"),
        StringFormat::Date => ("is_date", "date"),
        StringFormat::Uuid => ("is_uuid", "uuid"),
        StringFormat::Ipv4 => ("is_ipv4", "ipv4"),
        StringFormat::Ipv6 => ("is_ipv6", "ipv6"),
        StringFormat::Hostname => ("is_hostname", "hostname"),
    };
    let func = format_ident!("{}", func);
    let label = format!("format {name}");
    when_matches(
        value,
        quote!(::serde_json::Value::String(s)),
        quote!(!crate::formats::#func(s)),
        quote!(errs.push(#path, #label, s.as_str());),
    )
}

/// A keyword bounding the number of an array's items or an object's
/// properties.
#[derive(Clone, Copy)]
enum Size {
    MinItems,
    MaxItems,
    MinProperties,
    MaxProperties,
}

/// A size keyword: a violation when the count is below (a minimum) or
/// above (a maximum) `n`.
fn size_check(size: Size, n: u64, value: &TokenStream, path: &TokenStream) -> TokenStream {
    let (keyword, violates) = match size {
        Size::MinItems => ("minItems", quote!(<)),
        Size::MaxItems => ("maxItems", quote!(>)),
        Size::MinProperties => ("minProperties", quote!(<)),
        Size::MaxProperties => ("maxProperties", quote!(>)),
    };
    let label = format!("{keyword} {n}");
    let (pattern, members) = match size {
        Size::MinItems | Size::MaxItems => {
            (quote!(::serde_json::Value::Array(items)), quote!(items))
        }
        Size::MinProperties | Size::MaxProperties => {
            (quote!(::serde_json::Value::Object(map)), quote!(map))
        }
    };
    when_matches(
        value,
        pattern,
        quote!((#members.len() as u64) #violates #n),
        quote!(errs.push(#path, #label, #members.len());),
    )
}

fn unique_check(value: &TokenStream, path: &TokenStream) -> TokenStream {
    when_matches(
        value,
        quote!(::serde_json::Value::Array(items)),
        quote!(!crate::json::unique(items)),
        quote!(errs.push(#path, "uniqueItems", (#value).clone());),
    )
}

fn prefix_items_checks(
    nodes: &[ValueNode],
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    // `Value::get` finds an item only in an array: no `if let` on the
    // array around each item's, which lints would ask to collapse.
    let item = format_ident!("item_{}", d);
    let item_path = format_ident!("path_{}", d);
    nodes
        .iter()
        .enumerate()
        .filter_map(|(i, node)| {
            let checks = node_checks(node, &quote!(#item), &quote!(&#item_path), d);
            (!checks.is_empty()).then(|| {
                quote!(if let Some(#item) = (#value).get(#i) {
                    let #item_path = crate::validation::Path::index(#path, #i);
                    #checks
                })
            })
        })
        .collect()
}

fn items_checks(
    prefix: usize,
    node: &ValueNode,
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let item = format_ident!("item_{}", d);
    let index = format_ident!("index_{}", d);
    let item_path = format_ident!("path_{}", d);
    let checks = node_checks(node, &quote!(#item), &quote!(&#item_path), d);
    if checks.is_empty() {
        return TokenStream::new();
    }
    let skip = (prefix > 0).then(|| quote!(.skip(#prefix)));
    quote!(if let ::serde_json::Value::Array(items) = #value {
        for (#index, #item) in items.iter().enumerate() #skip {
            let #item_path = crate::validation::Path::index(#path, #index);
            #checks
        }
    })
}

/// The checks of an `unevaluated*` keyword's subschema on one item or
/// property value (`item` at `item_path`); `keyword` names its violation
/// when the subschema is `false`.
fn unevaluated_checks(
    node: &ValueNode,
    keyword: &str,
    item: &proc_macro2::Ident,
    item_path: &proc_macro2::Ident,
    d: usize,
) -> TokenStream {
    match node {
        ValueNode::Nothing => {
            let label = format!("{keyword} false");
            quote!(errs.push(&#item_path, #label, (#item).clone());)
        }
        other => node_checks(other, &quote!(#item), &quote!(&#item_path), d),
    }
}

fn unevaluated_items_checks(
    node: &ValueNode,
    siblings: &[Rule],
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let items = format_ident!("items_{}", d);
    let index = format_ident!("index_{}", d);
    let item = format_ident!("item_{}", d);
    let item_path = format_ident!("path_{}", d);
    let checks = unevaluated_checks(node, "unevaluatedItems", &item, &item_path, d);
    if checks.is_empty() {
        return TokenStream::new();
    }
    // Its own keyword in the schema is not a sibling.
    let collect: TokenStream = siblings
        .iter()
        .filter(|r| !matches!(r, Rule::UnevaluatedItems(_)))
        .map(|r| evaluated_items_rule(r, value, path, d))
        .collect();
    let (collect, skip) = if collect.is_empty() {
        (TokenStream::new(), TokenStream::new())
    } else {
        (
            // A `&mut` like the `evaluated_items_N` functions' parameter,
            // so the collecting code is the same in both places.
            quote!(
                let evaluated_items: &mut [bool] = &mut ::std::vec![false; #items.len()];
                #collect
            ),
            quote!(if evaluated_items.get(#index).copied().unwrap_or(false) {
                continue;
            }),
        )
    };
    quote!(if let ::serde_json::Value::Array(#items) = #value {
        #collect
        for (#index, #item) in #items.iter().enumerate() {
            #skip
            let #item_path = crate::validation::Path::index(#path, #index);
            #checks
        }
    })
}

fn dependent_required_checks(
    deps: &[(String, Vec<String>)],
    value: &TokenStream,
    path: &TokenStream,
) -> TokenStream {
    deps.iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(name, names)| {
            when_matches(
                value,
                quote!(::serde_json::Value::Object(map)),
                quote!(map.contains_key(#name)),
                quote!(for name in [#(#names),*] {
                    if !map.contains_key(name) {
                        errs.required(#path, name);
                    }
                }),
            )
        })
        .collect()
}

fn dependent_schemas_checks(
    deps: &[(String, ValueNode)],
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    deps.iter()
        .map(|(name, node)| when_present(name, node_checks(node, value, path, d), value))
        .collect()
}

fn properties_checks(
    props: &[(String, ValueNode)],
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    // `Value::get` finds a property only in an object: no `if let` on the
    // object around each property's, which lints would ask to collapse.
    let item = format_ident!("item_{}", d);
    let item_path = format_ident!("path_{}", d);
    props
        .iter()
        .filter_map(|(name, node)| {
            let checks = node_checks(node, &quote!(#item), &quote!(&#item_path), d);
            (!checks.is_empty()).then(|| {
                quote!(if let Some(#item) = (#value).get(#name) {
                    let #item_path = crate::validation::Path::field(#path, #name);
                    #checks
                })
            })
        })
        .collect()
}

fn required_checks(names: &[String], value: &TokenStream, path: &TokenStream) -> TokenStream {
    if names.is_empty() {
        return TokenStream::new();
    }
    quote!(if let ::serde_json::Value::Object(map) = #value {
        for name in [#(#names),*] {
            if !map.contains_key(name) {
                errs.required(#path, name);
            }
        }
    })
}

fn pattern_properties_checks(
    patterns: &[(String, ValueNode)],
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let map = format_ident!("map_{}", d);
    let key = format_ident!("key_{}", d);
    let item = format_ident!("item_{}", d);
    let item_path = format_ident!("path_{}", d);
    let each: Vec<TokenStream> = patterns
        .iter()
        .filter_map(|(pattern, node)| {
            let checks = node_checks(node, &quote!(#item), &quote!(&#item_path), d);
            (!checks.is_empty()).then(|| {
                let matched = pattern_matches(pattern, &quote!(#key));
                quote!(
                    let matched = #matched;
                    if matched {
                        let #item_path = crate::validation::Path::key(#path, #key);
                        #checks
                    }
                )
            })
        })
        .collect();
    if each.is_empty() {
        return TokenStream::new();
    }
    quote!(if let ::serde_json::Value::Object(#map) = #value {
        for (#key, #item) in #map {
            #(#each)*
        }
    })
}

fn property_names_checks(
    node: &ValueNode,
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let key = format_ident!("key_{}", d);
    let name = format_ident!("name_{}", d);
    let name_path = format_ident!("path_{}", d);
    let checks = node_checks(node, &quote!(#name), &quote!(&#name_path), d);
    if checks.is_empty() {
        return TokenStream::new();
    }
    // A name is checked as the JSON string it is; violations are
    // reported at the property it names.
    quote!(if let ::serde_json::Value::Object(map) = #value {
        for #key in map.keys() {
            let name_value = ::serde_json::Value::String(#key.clone());
            let #name = &name_value;
            let #name_path = crate::validation::Path::key(#path, #key);
            #checks
        }
    })
}

fn unevaluated_properties_checks(
    node: &ValueNode,
    siblings: &[Rule],
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let map = format_ident!("map_{}", d);
    let key = format_ident!("key_{}", d);
    let item = format_ident!("item_{}", d);
    let item_path = format_ident!("path_{}", d);
    let checks = unevaluated_checks(node, "unevaluatedProperties", &item, &item_path, d);
    if checks.is_empty() {
        return TokenStream::new();
    }
    // Its own (only) keyword in the schema is not a sibling.
    let collect: TokenStream = siblings
        .iter()
        .filter(|r| !matches!(r, Rule::UnevaluatedProperties(_)))
        .map(|r| evaluated_rule(r, value, path, d))
        .collect();
    // With no sibling evaluating anything, every property is
    // unevaluated.
    let (collect, skip) = if collect.is_empty() {
        (TokenStream::new(), TokenStream::new())
    } else {
        (
            // A `&mut` like the `evaluated_N` functions' parameter, so the
            // collecting code is the same in both places.
            quote!(
                let evaluated: &mut ::std::collections::BTreeSet<&str> =
                    &mut ::std::collections::BTreeSet::new();
                #collect
            ),
            quote!(if evaluated.contains(#key.as_str()) {
                continue;
            }),
        )
    };
    quote!(if let ::serde_json::Value::Object(#map) = #value {
        #collect
        for (#key, #item) in #map {
            #skip
            let #item_path = crate::validation::Path::key(#path, #key);
            #checks
        }
    })
}

fn if_then_else_checks(
    condition: &ValueNode,
    then: Option<&ValueNode>,
    otherwise: Option<&ValueNode>,
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let then = then
        .map(|n| node_checks(n, value, path, d))
        .unwrap_or_default();
    let otherwise = otherwise
        .map(|n| node_checks(n, value, path, d))
        .unwrap_or_default();
    if then.is_empty() && otherwise.is_empty() {
        // `if` alone asserts nothing.
        return TokenStream::new();
    }
    let test = is_valid(condition, value, path, d);
    let branches = branches(then, otherwise);
    quote!({
        let matched = #test;
        #branches
    })
}

fn additional_properties_checks(
    known: &[String],
    patterns: &[String],
    node: &ValueNode,
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let key = format_ident!("key_{}", d);
    let item = format_ident!("item_{}", d);
    let item_path = format_ident!("path_{}", d);
    let checks = unevaluated_checks(node, "additionalProperties", &item, &item_path, d);
    if checks.is_empty() {
        return TokenStream::new();
    }
    let known = (!known.is_empty()).then(|| {
        quote!(if matches!(#key.as_str(), #(#known)|*) {
            continue;
        })
    });
    let patterns = (!patterns.is_empty()).then(|| {
        let tests = patterns.iter().map(|p| pattern_matches(p, &quote!(#key)));
        quote!(
            let matched = #(#tests)||*;
            if matched {
                continue;
            }
        )
    });
    let filter = quote!(#known #patterns);
    quote!(if let ::serde_json::Value::Object(map) = #value {
        for (#key, #item) in map {
            #filter
            let #item_path = crate::validation::Path::key(#path, #key);
            #checks
        }
    })
}

fn any_of_checks(
    nodes: &[ValueNode],
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    // Constant branches are folded: `true` satisfies it outright,
    // `false` never contributes.
    if nodes.iter().any(|n| matches!(n, ValueNode::Any)) {
        return TokenStream::new();
    }
    let tests: Vec<TokenStream> = nodes
        .iter()
        .filter(|n| !matches!(n, ValueNode::Nothing))
        .map(|n| is_valid(n, value, path, d))
        .collect();
    if tests.is_empty() {
        return quote!(errs.push(#path, "anyOf: no subschema matches", (#value).clone()););
    }
    quote!({
        let matched = #(#tests)||*;
        if !matched {
            errs.push(#path, "anyOf: no subschema matches", (#value).clone());
        }
    })
}

fn one_of_checks(
    nodes: &[ValueNode],
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let tests = nodes.iter().map(|n| is_valid(n, value, path, d));
    quote!({
        let matched = [#(#tests),*].into_iter().filter(|ok| *ok).count();
        if matched != 1 {
            errs.push(#path, format!("oneOf: {matched} subschemas match, not 1"), (#value).clone());
        }
    })
}

fn not_checks(node: &ValueNode, value: &TokenStream, path: &TokenStream, d: usize) -> TokenStream {
    match node {
        ValueNode::Any => return quote!(errs.push(#path, "not", (#value).clone());),
        ValueNode::Nothing => return TokenStream::new(),
        ValueNode::Rules(_) => {}
    }
    let test = is_valid(node, value, path, d);
    quote!({
        let matched = #test;
        if matched {
            errs.push(#path, "not", (#value).clone());
        }
    })
}

/// Statements adding to `evaluated` (a `BTreeSet<&str>` in scope) the
/// property names `node` evaluates in `value`: the annotations that
/// `unevaluatedProperties` reads. A subschema whose failure makes `node`
/// fail contributes unconditionally (the verdict is "invalid" either way);
/// a branch whose failure does not (`anyOf`, `oneOf`, `if`) contributes only
/// when valid, and `not` never does.
fn evaluated_collect(
    node: &ValueNode,
    value: &TokenStream,
    path: &TokenStream,
    depth: usize,
) -> TokenStream {
    match node {
        ValueNode::Any | ValueNode::Nothing => TokenStream::new(),
        ValueNode::Rules(rules) => rules
            .iter()
            .map(|r| evaluated_rule(r, value, path, depth))
            .collect(),
    }
}

fn evaluated_rule(
    rule: &Rule,
    value: &TokenStream,
    path: &TokenStream,
    depth: usize,
) -> TokenStream {
    let d = depth + 1;
    let key = format_ident!("key_{}", d);
    // Inserts each name for which `test` (if any) holds.
    let each_key = |test: Option<TokenStream>| {
        let insert = quote!(evaluated.insert(#key.as_str()););
        let body = match test {
            Some(test) => quote!(
                let matched = #test;
                if matched {
                    #insert
                }
            ),
            None => insert,
        };
        quote!(for #key in (#value).as_object().into_iter().flat_map(|map| map.keys()) {
            #body
        })
    };
    match rule {
        Rule::Properties(props) if props.is_empty() => TokenStream::new(),
        Rule::Properties(props) => {
            let names = props.iter().map(|(name, _)| name);
            each_key(Some(quote!(matches!(#key.as_str(), #(#names)|*))))
        }
        Rule::PatternProperties(patterns) if patterns.is_empty() => TokenStream::new(),
        Rule::PatternProperties(patterns) => {
            let tests = patterns
                .iter()
                .map(|(pattern, _)| pattern_matches(pattern, &quote!(#key)));
            each_key(Some(quote!(#(#tests)||*)))
        }
        // Every name is evaluated by these, or by a sibling they defer to.
        Rule::AdditionalProperties { .. } | Rule::UnevaluatedProperties(_) => each_key(None),
        Rule::Ref(index) => {
            let f = format_ident!("evaluated_{}", index);
            // A reborrow: `evaluated` is always a `&mut` binding.
            quote!(Self::#f(#value, #path, errs, &mut *evaluated);)
        }
        // `not` holds only when its subschema fails, which drops the
        // subschema's annotations; the rest evaluate no property.
        _ => applicator_collect(rule, evaluated_collect, value, path, d).unwrap_or_default(),
    }
}

/// How an annotation walk gathers what one subschema evaluates
/// ([`evaluated_collect`] or [`evaluated_items_collect`]).
type Collect = fn(&ValueNode, &TokenStream, &TokenStream, usize) -> TokenStream;

/// What the in-place applicators (`allOf`, `dependentSchemas`, `anyOf`,
/// `oneOf`, `if`) contribute to an annotation walk, gathering each
/// subschema with `collect`; `None` for any other rule.
fn applicator_collect(
    rule: &Rule,
    collect: Collect,
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> Option<TokenStream> {
    Some(match rule {
        Rule::AllOf(nodes) => nodes.iter().map(|n| collect(n, value, path, d)).collect(),
        Rule::DependentSchemas(deps) => deps
            .iter()
            .map(|(name, n)| when_present(name, collect(n, value, path, d), value))
            .collect(),
        Rule::AnyOf(nodes) | Rule::OneOf(nodes) => nodes
            .iter()
            .map(|n| when_valid(n, collect(n, value, path, d), value, path, d))
            .collect(),
        Rule::IfThenElse {
            condition,
            then,
            otherwise,
        } => {
            let mut when_true = collect(condition, value, path, d);
            if let Some(then) = then {
                when_true.extend(collect(then, value, path, d));
            }
            let when_false = otherwise
                .as_deref()
                .map(|n| collect(n, value, path, d))
                .unwrap_or_default();
            if when_true.is_empty() && when_false.is_empty() {
                return Some(TokenStream::new());
            }
            let test = is_valid(condition, value, path, d);
            let branches = branches(when_true, when_false);
            quote!({
                let matched = #test;
                #branches
            })
        }
        _ => return None,
    })
}

/// Statements marking in `evaluated_items` (a `&mut [bool]`-like in scope,
/// one flag per item of `value`) the items `node` evaluates: the annotations
/// that `unevaluatedItems` reads, gathered as [`evaluated_collect`] gathers
/// property names.
fn evaluated_items_collect(
    node: &ValueNode,
    value: &TokenStream,
    path: &TokenStream,
    depth: usize,
) -> TokenStream {
    match node {
        ValueNode::Any | ValueNode::Nothing => TokenStream::new(),
        ValueNode::Rules(rules) => rules
            .iter()
            .map(|r| evaluated_items_rule(r, value, path, depth))
            .collect(),
    }
}

fn evaluated_items_rule(
    rule: &Rule,
    value: &TokenStream,
    path: &TokenStream,
    depth: usize,
) -> TokenStream {
    let d = depth + 1;
    match rule {
        Rule::PrefixItems(nodes) => {
            let n = nodes.len();
            quote!(for slot in evaluated_items.iter_mut().take(#n) {
                *slot = true;
            })
        }
        // `items` takes every item after `prefixItems`' (which evaluates
        // those), and `unevaluatedItems` every item its siblings leave.
        Rule::Items { .. } | Rule::UnevaluatedItems(_) => {
            quote!(for slot in evaluated_items.iter_mut() {
                *slot = true;
            })
        }
        Rule::Contains { node, .. } => contains_evaluated(node, value, path, d),
        Rule::Ref(index) => {
            let f = format_ident!("evaluated_items_{}", index);
            quote!(Self::#f(#value, #path, errs, &mut *evaluated_items);)
        }
        // `not` holds only when its subschema fails, which drops the
        // subschema's annotations; the rest evaluate no item.
        _ => applicator_collect(rule, evaluated_items_collect, value, path, d).unwrap_or_default(),
    }
}

/// Marks the items that `contains`' subschema matches.
fn contains_evaluated(
    node: &ValueNode,
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    let items = format_ident!("items_{}", d);
    let index = format_ident!("index_{}", d);
    let item = format_ident!("item_{}", d);
    let item_path = format_ident!("path_{}", d);
    let test = match settled(node, d) {
        ValueNode::Any => {
            return quote!(for slot in evaluated_items.iter_mut() {
                *slot = true;
            });
        }
        ValueNode::Nothing => return TokenStream::new(),
        ValueNode::Rules(_) => is_valid(node, &quote!(#item), &quote!(&#item_path), d),
    };
    let mark = when_matches(
        &quote!(evaluated_items.get_mut(#index)),
        quote!(Some(slot)),
        quote!(matched),
        quote!(*slot = true;),
    );
    quote!(if let ::serde_json::Value::Array(#items) = #value {
        for (#index, #item) in #items.iter().enumerate() {
            let #item_path = crate::validation::Path::index(#path, #index);
            let matched = #test;
            #mark
        }
    })
}

/// `body` when `value` matches `pattern` and `guard` holds. A `match` with a
/// guard rather than an `if let` around an `if`, which clippy asks to
/// collapse into a let chain: those need Rust 1.88, and the output builds
/// on 1.85.
fn when_matches(
    value: &TokenStream,
    pattern: TokenStream,
    guard: TokenStream,
    body: TokenStream,
) -> TokenStream {
    quote!(match #value {
        #pattern if #guard => {
            #body
        }
        _ => {}
    })
}

/// `collect` run only when `value` is an object with the property `name`
/// (how `dependentSchemas` applies its subschemas).
fn when_present(name: &str, collect: TokenStream, value: &TokenStream) -> TokenStream {
    if collect.is_empty() {
        return collect;
    }
    when_matches(
        value,
        quote!(::serde_json::Value::Object(map)),
        quote!(map.contains_key(#name)),
        collect,
    )
}

/// `node`, or `true` when it is a node of rules with nothing to check
/// (annotations, `unevaluatedItems: true`, …): its test would be the
/// constant `true`, and a loop binding each item to test it would leave
/// the item unused, a warning in the generated crate.
fn settled(node: &ValueNode, depth: usize) -> &ValueNode {
    match node {
        ValueNode::Rules(_)
            if node_checks(node, &quote!(value), &quote!(path), depth).is_empty() =>
        {
            &ValueNode::Any
        }
        _ => node,
    }
}

/// The checks of `contains` with its bounds: at least `min` and at most
/// `max` items valid against `node`.
fn contains_checks(
    node: &ValueNode,
    min: u64,
    max: Option<u64>,
    value: &TokenStream,
    path: &TokenStream,
    d: usize,
) -> TokenStream {
    if min == 0 && max.is_none() {
        // Any number of matches will do.
        return TokenStream::new();
    }
    let node = settled(node, d);
    let items = format_ident!("items_{}", d);
    let index = format_ident!("index_{}", d);
    let item = format_ident!("item_{}", d);
    let item_path = format_ident!("path_{}", d);
    let count = match node {
        ValueNode::Any => quote!(#items.len() as u64),
        ValueNode::Nothing => quote!(0u64),
        ValueNode::Rules(_) => {
            let test = is_valid(node, &quote!(#item), &quote!(&#item_path), d);
            quote!({
                let mut count: u64 = 0;
                for (#index, #item) in #items.iter().enumerate() {
                    let #item_path = crate::validation::Path::index(#path, #index);
                    let matched = #test;
                    if matched {
                        count += 1;
                    }
                }
                count
            })
        }
    };
    let low = (min > 0).then(|| {
        let label = if min == 1 {
            "contains: no item matches".to_owned()
        } else {
            format!("minContains {min}: fewer items match")
        };
        quote!(if count < #min {
            errs.push(#path, #label, count);
        })
    });
    let high = max.map(|max| {
        let label = format!("maxContains {max}: more items match");
        quote!(if count > #max {
            errs.push(#path, #label, count);
        })
    });
    // A `false` subschema matches nothing: the items need no binding.
    let bind = match node {
        ValueNode::Nothing => quote!(_),
        _ => quote!(#items),
    };
    quote!(if let ::serde_json::Value::Array(#bind) = #value {
        let count: u64 = #count;
        #low
        #high
    })
}

/// `collect` run only when `value` is valid against `node`.
fn when_valid(
    node: &ValueNode,
    collect: TokenStream,
    value: &TokenStream,
    path: &TokenStream,
    depth: usize,
) -> TokenStream {
    if collect.is_empty() {
        return collect;
    }
    let test = is_valid(node, value, path, depth);
    quote!({
        let matched = #test;
        if matched {
            {
                #collect
            }
        }
    })
}

/// Statements running `when_true` if `matched` (a `bool` in scope) holds and
/// `when_false` if not. Each runs in a block of its own, so that a body that
/// is one `if` does not read as a collapsible one to lints of the generated
/// crate, and identical bodies are not an `if` with identical branches.
fn branches(when_true: TokenStream, when_false: TokenStream) -> TokenStream {
    let when_true = (!when_true.is_empty()).then(|| {
        quote!(if matched {
            {
                #when_true
            }
        })
    });
    let when_false = (!when_false.is_empty()).then(|| {
        quote!(if !matched {
            {
                #when_false
            }
        })
    });
    quote!(#when_true #when_false)
}

/// The `$ref` targets whose evaluated property names (with `Rule::
/// UnevaluatedProperties` as `reader`) or items (`Rule::UnevaluatedItems`)
/// some such keyword reads, directly or through other targets.
fn evaluated_targets(
    v: &ValueType,
    reader: fn(&Rule) -> bool,
) -> std::collections::BTreeSet<usize> {
    /// The `$ref` targets `evaluated_rule` calls from `rule`.
    fn refs_of(rule: &Rule, out: &mut Vec<usize>) {
        let mut nodes: Vec<&ValueNode> = Vec::new();
        match rule {
            Rule::Ref(i) => out.push(*i),
            Rule::AllOf(ns) | Rule::AnyOf(ns) | Rule::OneOf(ns) => nodes.extend(ns),
            Rule::DependentSchemas(ds) => nodes.extend(ds.iter().map(|(_, n)| n)),
            Rule::IfThenElse {
                condition,
                then,
                otherwise,
            } => {
                nodes.push(condition);
                nodes.extend(then.as_deref());
                nodes.extend(otherwise.as_deref());
            }
            _ => {}
        }
        for n in nodes {
            if let ValueNode::Rules(rules) = n {
                rules.iter().for_each(|r| refs_of(r, out));
            }
        }
    }
    /// Every reader's siblings' direct targets, at any depth.
    fn seeds(node: &ValueNode, reader: fn(&Rule) -> bool, out: &mut Vec<usize>) {
        let ValueNode::Rules(rules) = node else {
            return;
        };
        if rules.iter().any(reader) {
            rules.iter().for_each(|r| refs_of(r, out));
        }
        for rule in rules {
            for child in subnodes(rule) {
                seeds(child, reader, out);
            }
        }
    }
    let mut pending = Vec::new();
    v.nodes.iter().for_each(|n| seeds(n, reader, &mut pending));
    let mut found = std::collections::BTreeSet::new();
    while let Some(i) = pending.pop() {
        if found.insert(i)
            && let Some(ValueNode::Rules(rules)) = v.nodes.get(i)
        {
            rules.iter().for_each(|r| refs_of(r, &mut pending));
        }
    }
    found
}

/// The subschemas a rule holds.
fn subnodes(rule: &Rule) -> Vec<&ValueNode> {
    match rule {
        Rule::PrefixItems(ns) | Rule::AllOf(ns) | Rule::AnyOf(ns) | Rule::OneOf(ns) => {
            ns.iter().collect()
        }
        Rule::Items { node, .. }
        | Rule::Contains { node, .. }
        | Rule::UnevaluatedItems(node)
        | Rule::AdditionalProperties { node, .. }
        | Rule::PropertyNames(node)
        | Rule::UnevaluatedProperties(node)
        | Rule::Not(node) => vec![node],
        Rule::Properties(ps) | Rule::PatternProperties(ps) | Rule::DependentSchemas(ps) => {
            ps.iter().map(|(_, n)| n).collect()
        }
        Rule::IfThenElse {
            condition,
            then,
            otherwise,
        } => std::iter::once(condition.as_ref())
            .chain(then.as_deref())
            .chain(otherwise.as_deref())
            .collect(),
        _ => Vec::new(),
    }
}

/// A `bool` expression: whether the ECMA-262 `pattern` matches anywhere in
/// `text` (a `&String` or `&str` expression). Lowering admits only patterns
/// with a linear-time translation on property names.
fn pattern_matches(pattern: &str, text: &TokenStream) -> TokenStream {
    let linear = match crate::pattern::engine(pattern) {
        crate::pattern::Engine::Compiled(m) => {
            let func = m.emit_fn("pattern_matches");
            return quote!({
                #func
                pattern_matches(#text)
            });
        }
        crate::pattern::Engine::Linear(linear) => linear,
        crate::pattern::Engine::Backtrack => {
            let message =
                format!("internal error: property-name pattern {pattern:?} needs backtracking");
            return quote!(compile_error!(#message));
        }
    };
    quote!({
        static PATTERN: crate::validation::Pattern = crate::validation::Pattern::new(#linear, "");
        PATTERN.matches(#text)
    })
}

fn type_check(types: &[JsonType], value: &TokenStream, path: &TokenStream) -> TokenStream {
    let tests = types.iter().map(|t| match t {
        JsonType::Null => quote!((#value).is_null()),
        JsonType::Boolean => quote!((#value).is_boolean()),
        JsonType::Object => quote!((#value).is_object()),
        JsonType::Array => quote!((#value).is_array()),
        JsonType::Number => quote!((#value).is_number()),
        JsonType::Integer => quote!(crate::json::is_integer(#value)),
        JsonType::String => quote!((#value).is_string()),
    });
    let names: Vec<&str> = types
        .iter()
        .map(|t| match t {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::String => "string",
        })
        .collect();
    let label = format!("type {}", names.join(" or "));
    quote!(if !(#(#tests)||*) {
        errs.push(#path, #label, (#value).clone());
    })
}

/// `keyword` is one of `minimum`, `exclusiveMinimum`, `maximum`,
/// `exclusiveMaximum`.
/// Compared exactly (`json::compare`): an `f64` comparison would call
/// `2^64` within `maximum: 18446744073709551615`.
fn bound(
    value: &TokenStream,
    path: &TokenStream,
    keyword: &str,
    b: &serde_json::Number,
) -> TokenStream {
    let exact = b
        .as_i64()
        .map(i128::from)
        .or_else(|| b.as_u64().map(i128::from));
    let bound = match exact {
        Some(i) => {
            let i = Literal::i128_unsuffixed(i);
            quote!(crate::json::Bound::Int(#i))
        }
        None => {
            let f = Literal::f64_suffixed(b.as_f64().unwrap_or(0.0));
            quote!(crate::json::Bound::Float(#f))
        }
    };
    let allowed = match keyword {
        "minimum" => quote!(::std::cmp::Ordering::Greater | ::std::cmp::Ordering::Equal),
        "exclusiveMinimum" => quote!(::std::cmp::Ordering::Greater),
        "maximum" => quote!(::std::cmp::Ordering::Less | ::std::cmp::Ordering::Equal),
        _ => quote!(::std::cmp::Ordering::Less),
    };
    let label = format!("{keyword} {b}");
    when_matches(
        value,
        quote!(::serde_json::Value::Number(n)),
        quote!(!matches!(crate::json::compare(n, #bound), Some(#allowed))),
        quote!(errs.push(#path, #label, (#value).clone());),
    )
}

/// An expression building `v` as a `serde_json::Value`.
pub(crate) fn value_tokens(v: &Value) -> TokenStream {
    match v {
        Value::Null => quote!(::serde_json::Value::Null),
        Value::Bool(b) => quote!(::serde_json::Value::Bool(#b)),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                quote!(::serde_json::Value::from(#u))
            } else if let Some(i) = n.as_i64() {
                quote!(::serde_json::Value::from(#i))
            } else {
                let f = Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
                quote!(::serde_json::Value::from(#f))
            }
        }
        Value::String(s) => quote!(::serde_json::Value::from(#s)),
        Value::Array(items) => {
            let items = items.iter().map(value_tokens);
            quote!(::serde_json::Value::Array(::std::vec![#(#items),*]))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = value_tokens(v);
                quote!((String::from(#k), #v))
            });
            quote!(::serde_json::Value::Object(::serde_json::Map::from_iter([#(#entries),*])))
        }
    }
}
