//! Each [`Operation`] → a struct in `operations::<groups>` that holds its
//! parameters and body and implements the runtime's `Operation` trait:
//! method, path template, servers, and `request()`, which checks the
//! parameters and percent-encodes the path. Transport-free: the client (or
//! any HTTP stack) sends what `request()` returns.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Ctx;
use super::{docs, ident};
use crate::model::{HttpMethod, Operation, Param, ParamLocation, Shape, TypeKind};
use crate::naming;

/// The operation's struct name: its function name in PascalCase.
pub(crate) fn struct_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", naming::pascal_case(op.function()))
}

pub(crate) fn emit(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let name = struct_name(op);
    let doc = docs(Some(&operation_doc(op)));
    let lifetime = needs_lifetime(cx, op).then(|| quote!(<'a>));
    let fields = op.params.iter().map(|p| {
        let id = ident(&p.rust_name);
        let ty = param_type(cx, p);
        let doc = docs(p.description.as_deref());
        if p.required {
            quote!(#doc #id: #ty,)
        } else {
            quote!(#doc #id: Option<#ty>,)
        }
    });
    let body_field: Option<TokenStream> = body_type(cx, op).filter(|_| !empty_body(op)).map(|ty| {
        quote!(
            /// The JSON body.
            body: &'a #ty,
        )
    });
    let constructor = constructor(cx, op);
    let trait_impl = trait_impl(cx, op);
    // An operation without parameters or body: `new()` and `default()`.
    let default = (op.params.is_empty() && body_field.is_none()).then(|| quote!(Default,));
    let debug = debug_impl(cx, op);
    let derived_debug = debug.is_none().then(|| quote!(Debug,));
    quote! {
        #doc
        #[derive(#derived_debug Clone, #default)]
        pub struct #name #lifetime {
            #(#fields)*
            #body_field
        }
        #debug
        #constructor
        #trait_impl
    }
}

/// `Debug` by hand for an operation with header parameters, each shown
/// through the runtime's `Shown`, which redacts a credential's value
/// (`X-Stytch-Member-Session`); others derive it.
fn debug_impl(cx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    if !op
        .params
        .iter()
        .any(|p| p.location == ParamLocation::Header)
    {
        return None;
    }
    let name = struct_name(op);
    let label = name.to_string();
    let lifetime = needs_lifetime(cx, op).then(|| quote!(<'_>));
    let fields = op.params.iter().map(|p| {
        let id = ident(&p.rust_name);
        let label = p.rust_name.as_str();
        let wire = &p.name;
        match (p.location, p.required) {
            (ParamLocation::Header, true) => {
                quote!(.field(#label, &crate::operations::Shown(#wire, &self.#id)))
            }
            (ParamLocation::Header, false) => quote!(.field(
                #label,
                &self.#id.as_ref().map(|v| crate::operations::Shown(#wire, v))
            )),
            _ => quote!(.field(#label, &self.#id)),
        }
    });
    let body = (body_type(cx, op).is_some() && !empty_body(op))
        .then(|| quote!(.field("body", &self.body)));
    Some(quote! {
        impl ::core::fmt::Debug for #name #lifetime {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#label) #(#fields)* #body .finish()
            }
        }
    })
}

/// Method and path, the upstream summary and description, and whether a
/// retry is safe: what a caller needs where they type the call.
pub(crate) fn operation_doc(op: &Operation) -> String {
    let mut text = format!("`{} {}`", op.method.as_str(), op.path);
    if let Some(summary) = &op.summary {
        text.push_str(&format!(": {summary}"));
    }
    if let Some(description) = op
        .description
        .as_ref()
        .filter(|d| Some(*d) != op.summary.as_ref())
    {
        text.push_str(&format!("\n\n{description}"));
    }
    if !op.servers.is_empty() {
        text.push_str(&format!(
            "\n\nSent to `{}` (this path's own server), not the API's base URL.",
            op.servers.join("`, `")
        ));
    }
    text.push_str(if op.method.idempotent() {
        "\n\nIdempotent: sending it twice has the effect of sending it once, so a timed-out call may be retried."
    } else {
        "\n\nNot idempotent: a retry may act twice (send a second message, create a second object); retry only when the error says the request was not processed."
    });
    text
}

pub(crate) fn needs_lifetime(cx: &Ctx<'_>, op: &Operation) -> bool {
    let borrowed_param = op
        .params
        .iter()
        .any(|p| matches!(p.shape, Shape::String(_)));
    borrowed_param || (body_type(cx, op).is_some() && !empty_body(op))
}

fn empty_body(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|b| b.empty)
}

fn body_type(cx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    cx.resolve(&body.ty).map(|def| cx.type_path(def, ""))
}

/// A parameter's Rust type: strings are borrowed.
pub(crate) fn param_type(cx: &Ctx<'_>, p: &Param) -> TokenStream {
    match &p.shape {
        Shape::String(_) => quote!(&'a str),
        other => cx.rust_type(other),
    }
}

/// `new(required…, body)` and one setter per optional parameter.
fn constructor(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let name = struct_name(op);
    let lifetime = needs_lifetime(cx, op).then(|| quote!(<'a>));
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let id = ident(&p.rust_name);
        let ty = param_type(cx, p);
        quote!(#id: #ty)
    });
    let body_arg = body_type(cx, op)
        .filter(|_| !empty_body(op))
        .map(|ty| quote!(body: &'a #ty));
    let inits = op.params.iter().map(|p| {
        let id = ident(&p.rust_name);
        if p.required {
            quote!(#id)
        } else {
            quote!(#id: None)
        }
    });
    let body_init = body_arg.as_ref().map(|_| quote!(body));
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let id = ident(&p.rust_name);
        let ty = param_type(cx, p);
        let doc = docs(Some(&format!(
            "Sets the optional {} parameter `{}`.{}",
            location_word(p.location),
            p.name,
            p.description
                .as_deref()
                .map(|d| format!("\n\n{d}"))
                .unwrap_or_default()
        )));
        quote! {
            #doc
            #[inline]
            pub fn #id(mut self, value: #ty) -> Self {
                self.#id = Some(value);
                self
            }
        }
    });
    let all_args = args.chain(body_arg);
    let all_inits = inits.chain(body_init);
    quote! {
        impl #lifetime #name #lifetime {
            /// The required parameters in path order (then query and header
            /// ones), then the body.
            #[inline]
            pub fn new(#(#all_args),*) -> Self {
                Self { #(#all_inits),* }
            }
            #(#setters)*
        }
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn trait_impl(cx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    let name = struct_name(op);
    let lifetime = needs_lifetime(cx, op).then(|| quote!(<'_>));
    let body_ty = match body_type(cx, op) {
        Some(_) if empty_body(op) => quote!(crate::operations::EmptyObject),
        Some(ty) => ty,
        None => quote!(crate::operations::NoBody),
    };
    let response = cx.type_path(cx.resolve(&op.response)?, "");
    let method = method_variant(op.method);
    let path = &op.path;
    let operation_id = &op.operation_id;
    let servers = &op.servers;
    let idempotent = op.method.idempotent();
    let request = request_body(cx, op);
    Some(quote! {
        impl crate::operations::Operation for #name #lifetime {
            type Body = #body_ty;
            type Response = #response;
            const METHOD: crate::operations::Method = crate::operations::Method::#method;
            const PATH: &'static str = #path;
            const OPERATION_ID: &'static str = #operation_id;
            const SERVERS: &'static [&'static str] = &[#(#servers),*];
            const IDEMPOTENT: bool = #idempotent;

            #[inline]
            fn request(&self) -> Result<crate::operations::Request<'_, Self::Body>, crate::ValidationError> {
                #request
            }
        }
    })
}

/// The body of `request()`: the path built and every parameter checked and
/// encoded into the request.
fn request_body(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let build_path = path_builder(cx, op);
    let checks: Vec<TokenStream> = op.params.iter().map(|p| param_checks(cx, p)).collect();
    let query = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| query_pair(cx, p));
    let headers = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(header_pair);
    let body = match &op.body {
        Some(_) if empty_body(op) => quote!(Some(&crate::operations::EmptyObject)),
        Some(_) => quote!(Some(self.body)),
        None => quote!(None),
    };
    let has_query = op.params.iter().any(|p| p.location == ParamLocation::Query);
    let has_headers = op
        .params
        .iter()
        .any(|p| p.location == ParamLocation::Header);
    let query_decl = if has_query {
        quote!(let mut query = Vec::new();)
    } else {
        quote!(let query = Vec::new();)
    };
    let headers_decl = if has_headers {
        quote!(let mut headers = Vec::new();)
    } else {
        quote!(let headers = Vec::new();)
    };
    let uses_errs = op.params.iter().any(|p| p.location != ParamLocation::Query)
        || checks.iter().any(|c| !c.is_empty());
    let (root, errs) = if uses_errs {
        (quote!(root), quote!(errs))
    } else {
        (quote!(_root), quote!(_errs))
    };
    quote! {
        crate::operations::build(|#root, #errs| {
            #build_path
            #(#checks)*
            #query_decl
            #(#query)*
            #headers_decl
            #(#headers)*
            Some(crate::operations::Request {
                method: Self::METHOD,
                path,
                query,
                headers,
                body: #body,
            })
        })
    }
}

/// The runtime's `Method` variant for `method`.
pub(crate) fn method_variant(method: HttpMethod) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(Get),
        HttpMethod::Post => quote!(Post),
        HttpMethod::Put => quote!(Put),
        HttpMethod::Patch => quote!(Patch),
        HttpMethod::Delete => quote!(Delete),
    }
}

/// The literal parts of the template pushed as they are, each parameter
/// percent-encoded as one segment.
fn path_builder(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let mut steps = Vec::new();
    let mut literal = String::new();
    for (i, segment) in op.path.split('/').enumerate() {
        if i > 0 {
            literal.push('/');
        }
        let param = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .and_then(|name| {
                op.params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && p.name == name)
            });
        match param {
            Some(p) => {
                if !literal.is_empty() {
                    steps.push(push_literal(&literal));
                    literal.clear();
                }
                let id = ident(&p.rust_name);
                let name = &p.name;
                let value = scalar_string(cx, p, quote!(self.#id));
                steps.push(quote!(crate::operations::push_segment(&mut path, #value, &root.field(#name), errs);));
            }
            None => literal.push_str(segment),
        }
    }
    if !literal.is_empty() {
        steps.push(push_literal(&literal));
    }
    let capacity = op.path.len();
    quote! {
        let mut path = String::with_capacity(#capacity);
        #(#steps)*
    }
}

fn push_literal(literal: &str) -> TokenStream {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => quote!(path.push(#c);),
        _ => quote!(path.push_str(#literal);),
    }
}

/// The parameter's value as a `&str` expression.
fn scalar_string(cx: &Ctx<'_>, p: &Param, value: TokenStream) -> TokenStream {
    match &p.shape {
        Shape::String(_) => value,
        Shape::Ref(id) if is_enum(cx, id) => quote!(#value.as_str()),
        _ => quote!(&#value.to_string()),
    }
}

fn is_enum(cx: &Ctx<'_>, id: &crate::model::TypeId) -> bool {
    cx.resolve(id)
        .is_some_and(|def| matches!(def.kind, TypeKind::Enum(_)))
}

/// The schema's constraints on one parameter (strings, numbers) and, for
/// enums, the strict check that refuses an `Unknown` value in a request.
fn param_checks(cx: &Ctx<'_>, p: &Param) -> TokenStream {
    let id = ident(&p.rust_name);
    let name = &p.name;
    let path = quote!(&root.field(#name));
    let check = match &p.shape {
        Shape::String(rules) => {
            let checks = super::shape::string_checks(rules, &quote!(value), &path);
            if checks.is_empty() {
                return TokenStream::new();
            }
            quote!({ let value: &str = value; #checks })
        }
        Shape::Integer(rules) => {
            let checks = super::shape::bound_checks(&rules.bounds, &path, quote!(value as f64));
            if checks.is_empty() {
                return TokenStream::new();
            }
            quote!({ let value = *value; #checks })
        }
        Shape::Number(rules) => {
            let checks = super::shape::bound_checks(&rules.bounds, &path, quote!(value));
            quote!({
                let value: f64 = *value;
                if !value.is_finite() {
                    errs.push(#path, "finite number", ::serde_json::Value::Null);
                }
                #checks
            })
        }
        Shape::Ref(target) if is_enum(cx, target) => {
            let ty = cx.rust_type(&p.shape);
            quote!({ let _ = #ty::from_raw(value.as_str().to_owned(), #path, errs); })
        }
        _ => return TokenStream::new(),
    };
    if p.required {
        quote!({ let value = &self.#id; #check })
    } else {
        quote!(if let Some(value) = &self.#id { #check })
    }
}

fn query_pair(cx: &Ctx<'_>, p: &Param) -> TokenStream {
    let id = ident(&p.rust_name);
    let name = &p.name;
    let value = match &p.shape {
        Shape::String(_) => quote!((*value).to_owned()),
        Shape::Ref(id) if is_enum(cx, id) => quote!(value.as_str().to_owned()),
        _ => quote!(value.to_string()),
    };
    let push = quote!(query.push((#name, #value)););
    if p.required {
        quote!({ let value = &self.#id; #push })
    } else {
        quote!(if let Some(value) = &self.#id { #push })
    }
}

fn header_pair(p: &Param) -> TokenStream {
    let id = ident(&p.rust_name);
    let name = &p.name;
    // Header parameters are strings in every document seen; others are
    // formatted the same way as query values.
    let push = match &p.shape {
        Shape::String(_) => {
            quote!(crate::operations::push_header(&mut headers, #name, value, &root.field(#name), errs);)
        }
        Shape::Ref(_) => {
            quote!(crate::operations::push_header(&mut headers, #name, value.as_str(), &root.field(#name), errs);)
        }
        _ => {
            quote!(crate::operations::push_header(&mut headers, #name, &value.to_string(), &root.field(#name), errs);)
        }
    };
    if p.required {
        quote!({ let value = &self.#id; #push })
    } else {
        quote!(if let Some(value) = &self.#id { #push })
    }
}
