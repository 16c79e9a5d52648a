//! The mock server's route table ([`crate::Target::Mock`]): one route per
//! operation with its method, path template, ids, and a function that
//! checks a received request with the generated code (the body decoded into
//! its request type, the parameters through the operation's `request()`).
//! Beside it, the response schemas the mock builds default answers from.
//! The mock crate supplies `Route`, `Params`, `Rejection` and the server.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Ctx;
use super::client::{in_types, operation_type};
use super::ident;
use crate::model::{Operation, ParamLocation, Shape};

/// The route table's tokens, or `None` when there are no operations.
pub(crate) fn routes(cx: &Ctx<'_>, operations: &[Operation]) -> Option<TokenStream> {
    if operations.is_empty() {
        return None;
    }
    let mut entries = Vec::new();
    let mut functions = Vec::new();
    let mut samples = Vec::new();
    for op in operations {
        let check = format_ident!("check_{}", op.chain.join("_"));
        let method = super::operations::method_variant(op.method);
        let path = &op.path;
        let operation_id = &op.operation_id;
        let chain = &op.chain;
        let servers = &op.servers;
        let schema = &op.response;
        let response = in_types(&cx.type_path(cx.resolve(&op.response)?, ""), &cx.types());
        entries.push(quote! {
            Route {
                method: ops::Method::#method,
                path: #path,
                operation_id: #operation_id,
                chain: &[#(#chain),*],
                servers: &[#(#servers),*],
                response_schema: #schema,
                check: #check,
                check_response: crate::route::check_response::<#response>,
            }
        });
        functions.push(check_function(cx, op, &check)?);
        samples.push(sample_call(cx, op)?);
    }
    let count = proc_macro2::Literal::usize_unsuffixed(operations.len());
    let types = &cx.types();
    Some(quote! {
        use #types::operations as ops;
        use crate::route::{Params, Rejection, Route};

        /// Every operation of the document, in chain order.
        pub(crate) static ROUTES: [Route; #count] = [#(#entries),*];

        #(#functions)*

        /// Sends every operation through `sender`, built with sample
        /// parameters (required ones only) and a sample body; each result
        /// beside its operation id.
        pub(crate) async fn each_operation<S: crate::SendOperation>(
            sender: &S,
        ) -> Vec<(&'static str, Result<(), String>)> {
            let mut results = Vec::new();
            #(#samples)*
            results
        }
    })
}

/// One operation of `each_operation`: `user_id` is `"user-test-1"`, a body is
/// the mock's sample of its request schema.
fn sample_call(cx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    let ty = in_types(&operation_type(op), &cx.types());
    let operation_id = &op.operation_id;
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let id = ident(&p.rust_name);
        if matches!(p.shape, Shape::String(_)) {
            let value = format!(
                "{}-test-1",
                p.name.trim_end_matches("_id").replace('_', "-")
            );
            args.push(quote!(#value));
        } else {
            let parsed = in_types(&cx.rust_type(&p.shape), &cx.types());
            lets.push(quote!(let #id = crate::sample_param::<#parsed>()?;));
            args.push(quote!(#id));
        }
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.empty) {
        let body_ty = in_types(&cx.type_path(cx.resolve(&body.ty)?, ""), &cx.types());
        let schema = &body.ty;
        lets.push(quote!(let request = crate::sample::<#body_ty>(#schema)?;));
        args.push(quote!(&request));
    }
    Some(quote! {
        let result: Result<(), String> = async {
            #(#lets)*
            sender.send(&#ty::new(#(#args),*)).await
        }
        .await;
        results.push((#operation_id, result));
    })
}

/// `fn check_users_get(p, body)`: the body decoded into its request type,
/// each parameter read from the request, and the operation built from them
/// so that `request()` checks the parameters as the client does.
fn check_function(cx: &Ctx<'_>, op: &Operation, name: &proc_macro2::Ident) -> Option<TokenStream> {
    let ty = in_types(&operation_type(op), &cx.types());
    let path_params: Vec<&str> = op
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect();
    let mut reads = Vec::new();
    // Values that must be present to build the operation.
    let mut needed = Vec::new();
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let id = ident(&p.rust_name);
        let read = param_read(cx, p, &path_params)?;
        reads.push(read);
        let always_present =
            p.location == ParamLocation::Path && matches!(p.shape, Shape::String(_));
        if p.required {
            if !always_present {
                needed.push(id.clone());
            }
            args.push(quote!(#id));
        } else {
            setters.push(quote!(if let Some(value) = #id { operation = operation.#id(value); }));
        }
    }
    let uses_body = op.body.is_some();
    match &op.body {
        Some(body) if body.empty => {
            reads.push(quote!(crate::route::decode_empty(body, &mut bad);));
        }
        Some(body) => {
            let body_ty = in_types(&cx.type_path(cx.resolve(&body.ty)?, ""), &cx.types());
            reads.push(quote!(let request = crate::route::decode::<#body_ty>(body, &mut bad);));
            needed.push(format_ident!("request"));
            args.push(quote!(&request));
        }
        None => {}
    }
    let unpack = unpack(&needed);
    let p_arg = if op.params.is_empty() {
        quote!(_p)
    } else {
        quote!(p)
    };
    let body_arg = if uses_body {
        quote!(body)
    } else {
        quote!(_body)
    };
    let binding = if setters.is_empty() {
        quote!(let operation)
    } else {
        quote!(let mut operation)
    };
    // Only string path parameters are read without a place for violations.
    let uses_bad = uses_body
        || op
            .params
            .iter()
            .any(|p| p.location != ParamLocation::Path || !matches!(p.shape, Shape::String(_)));
    let bad = if !uses_bad {
        quote!(let bad)
    } else {
        quote!(let mut bad)
    };
    Some(quote! {
        fn #name(#p_arg: &Params<'_>, #body_arg: &[u8]) -> Result<(), Rejection> {
            #bad = Rejection::default();
            #(#reads)*
            #unpack
            #binding = #ty::new(#(#args),*);
            #(#setters)*
            bad.finish(&operation)
        }
    })
}

/// The statement reading parameter `p` from the request (`p: &Params`),
/// parsed into its type unless it is a string; `None` when a path parameter
/// is missing from the path template.
fn param_read(cx: &Ctx<'_>, p: &crate::model::Param, path_params: &[&str]) -> Option<TokenStream> {
    let id = ident(&p.rust_name);
    let wire = &p.name;
    let string = matches!(p.shape, Shape::String(_));
    let parsed = in_types(&cx.rust_type(&p.shape), &cx.types());
    Some(match p.location {
        ParamLocation::Path => {
            let index =
                proc_macro2::Literal::usize_unsuffixed(path_params.iter().position(|n| n == wire)?);
            if string {
                quote!(let #id = p.path(#index);)
            } else {
                quote!(let #id = p.parse_path::<#parsed>(#index, #wire, &mut bad);)
            }
        }
        ParamLocation::Query => match (string, p.required) {
            (true, true) => quote!(let #id = p.required_query(#wire, &mut bad);),
            (true, false) => quote!(let #id = p.query(#wire, &mut bad);),
            (false, true) => {
                quote!(let #id = p.parse_required_query::<#parsed>(#wire, &mut bad);)
            }
            (false, false) => quote!(let #id = p.parse_query::<#parsed>(#wire, &mut bad);),
        },
        ParamLocation::Header => match (string, p.required) {
            (true, true) => quote!(let #id = p.required_header(#wire, &mut bad);),
            (true, false) => quote!(let #id = p.header(#wire, &mut bad);),
            (false, true) => {
                quote!(let #id = p.parse_required_header::<#parsed>(#wire, &mut bad);)
            }
            (false, false) => quote!(let #id = p.parse_header::<#parsed>(#wire, &mut bad);),
        },
    })
}

/// Binds each of `needed` (each an `Option` in scope) to its value, or
/// returns the rejection when one is missing.
fn unpack(needed: &[proc_macro2::Ident]) -> TokenStream {
    match needed {
        [] => TokenStream::new(),
        [id] => quote!(let Some(#id) = #id else { return Err(bad); };),
        _ => quote!(let (#(Some(#needed)),*) = (#(#needed),*) else { return Err(bad); };),
    }
}

/// `pub(crate) const SCHEMAS: &str`: the components the operations'
/// responses and request bodies reach through `$ref` in `doc` (the
/// effective document), one
/// JSON object keyed by component name, pretty-printed so that a change to
/// the document shows as a readable diff.
pub(crate) fn schemas(
    operations: &[Operation],
    doc: &serde_json::Value,
) -> Result<String, super::EmitError> {
    let components = &doc["components"]["schemas"];
    let mut reached: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let bodies = operations
        .iter()
        .filter_map(|op| op.body.as_ref().filter(|b| !b.empty))
        .map(|b| b.ty.clone());
    let mut todo: Vec<String> = operations
        .iter()
        .map(|op| op.response.clone())
        .chain(bodies)
        .collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let schema = components
            .get(&name)
            .ok_or_else(|| super::EmitError::NotAComponent { name: name.clone() })?;
        refs(schema, &mut todo);
        reached.insert(name, schema.clone());
    }
    let json = serde_json::to_string_pretty(&reached).map_err(super::EmitError::Schemas)?;
    // A raw string needs a delimiter the JSON does not contain.
    let mut hashes = String::from("#");
    while json.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    Ok(format!(
        "/// The response and request schemas (overlays applied) by component name.\npub(crate) const SCHEMAS: &str = r{hashes}\"{json}\"{hashes};\n"
    ))
}

/// Every component named by a local `$ref` below `schema`.
fn refs(schema: &serde_json::Value, out: &mut Vec<String>) {
    match schema {
        serde_json::Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(serde_json::Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name.to_owned());
            }
            map.values().for_each(|v| refs(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}
