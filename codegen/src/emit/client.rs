//! The client's request functions ([`crate::Target::Client`]): one group
//! struct per method-chain prefix (`client.b2b().organizations()`), one
//! function per operation returning the client's `Call`, and setters on
//! `Call` for optional parameters. The client crate supplies `Client`,
//! `Call` and the transport; this file only names and documents the calls.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Ctx;
use super::{docs, ident};
use crate::config::GeneratedFile;
use crate::model::{Operation, Param};
use crate::naming;

/// The shared runtime of a client on reqwest: `stytch-client` gets each
/// as a file of its own beside `operations.rs` ([`runtime_files`]), a
/// standalone client crate inside its client module.
pub(crate) const HTTP_ERROR: &str = include_str!("../runtime/http_error.rs");
pub(crate) const HTTP_TRANSPORT: &str = include_str!("../runtime/http_transport.rs");
pub(crate) const HTTP_CALL: &str = include_str!("../runtime/http_call.rs");

/// The shared runtime as [`crate::Target::Client`] files, each under the
/// generated header. The client crate `include!`s its own copies, so a
/// packaged `stytch-client` holds every file it compiles (none is read from
/// the generator's sources), and `check` keeps the copies current.
pub(crate) fn runtime_files(header: &str) -> Vec<GeneratedFile> {
    [
        ("http_error.rs", HTTP_ERROR),
        ("http_transport.rs", HTTP_TRANSPORT),
        ("http_call.rs", HTTP_CALL),
    ]
    .into_iter()
    .map(|(path, text)| GeneratedFile {
        target: crate::config::Target::Client,
        path: path.to_owned(),
        contents: format!("{header}{text}"),
    })
    .collect()
}

/// A node of the chain tree: its sub-groups and its operations.
#[derive(Default)]
struct Group<'a> {
    children: BTreeMap<String, Group<'a>>,
    operations: Vec<&'a Operation>,
}

/// The client module's tokens, or `None` when there are no operations.
/// Types are named through `cx.types`.
pub(crate) fn emit(cx: &Ctx<'_>, operations: &[Operation]) -> Option<TokenStream> {
    if operations.is_empty() {
        return None;
    }
    let mut root = Group::default();
    for op in operations {
        let mut node = &mut root;
        for group in op.groups() {
            node = node.children.entry(group.clone()).or_default();
        }
        node.operations.push(op);
    }
    let mut items = Vec::new();
    let entry_points = accessors(cx, &root, &[]);
    items.push(quote! {
        impl crate::Client {
            #(#entry_points)*
        }
    });
    let types = &cx.types();
    groups(cx, &root, &[], types, &mut items);
    // With every group's feature off, nothing names an operation.
    let allow = cx
        .features
        .is_some()
        .then(|| quote!(#[allow(unused_imports)]));
    Some(quote! {
        #allow
        use #types::operations as ops;
        #(#items)*
    })
}

/// `Users`, `B2bOrganizationsMembers`: the chain in PascalCase.
fn group_name(chain: &[String]) -> proc_macro2::Ident {
    let name: String = chain.iter().map(|c| naming::pascal_case(c)).collect();
    format_ident!("{}", name)
}

/// The functions that step from `path` into each child group.
fn accessors(cx: &Ctx<'_>, group: &Group<'_>, path: &[String]) -> Vec<TokenStream> {
    let at_root = path.is_empty();
    group
        .children
        .iter()
        .map(|(name, child)| {
            let chain: Vec<String> = path.iter().cloned().chain([name.clone()]).collect();
            let ty = group_name(&chain);
            let id = ident(name);
            let count = count_operations(child);
            let doc = format!(
                " The `{}` group: {count} operation{}.",
                chain.join("."),
                if count == 1 { "" } else { "s" }
            );
            let client = if at_root {
                quote!(self)
            } else {
                quote!(self.client)
            };
            let cfg = group_cfg(cx, &chain);
            quote! {
                #[doc = #doc]
                #cfg
                #[inline]
                pub fn #id(&self) -> #ty<'_> {
                    #ty { client: #client }
                }
            }
        })
        .collect()
}

fn count_operations(group: &Group<'_>) -> usize {
    group.operations.len() + group.children.values().map(count_operations).sum::<usize>()
}

/// One struct per group below `path`, with its accessors and functions.
fn groups(
    cx: &Ctx<'_>,
    group: &Group<'_>,
    path: &[String],
    types: &TokenStream,
    items: &mut Vec<TokenStream>,
) {
    for (name, child) in &group.children {
        let chain: Vec<String> = path.iter().cloned().chain([name.clone()]).collect();
        let ty = group_name(&chain);
        let doc = format!(" The `{}` group of operations.", chain.join("."));
        let steps = accessors(cx, child, &chain);
        let functions = child.operations.iter().map(|op| function(cx, op, types));
        let cfg = group_cfg(cx, &chain);
        let mut group_items = vec![quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy)]
            pub struct #ty<'a> {
                client: &'a crate::Client,
            }

            impl<'a> #ty<'a> {
                #(#steps)*
                #(#functions)*
            }
        }];
        group_items.extend(
            child
                .operations
                .iter()
                .filter_map(|op| optional_setters(cx, op, types)),
        );
        let group_items: TokenStream = group_items.into_iter().collect();
        items.push(super::features::gate(cfg.as_ref(), group_items));
        groups(cx, child, &chain, types, items);
    }
}

/// The `#[cfg]` of the group at `chain`, when the output is gated by
/// features.
fn group_cfg(cx: &Ctx<'_>, chain: &[String]) -> Option<TokenStream> {
    cx.features.as_ref()?.group_cfg(chain)
}

/// The operation's type in `stytch_types::operations`.
pub(super) fn operation_type(op: &Operation) -> TokenStream {
    let modules = op.groups().iter().map(|g| ident(g));
    let name = super::operations::struct_name(op);
    quote!(ops #(:: #modules)* :: #name)
}

/// `pub fn get(&self, user_id: &'a str) -> Call<'a, ops::users::Get<'a>>`.
fn function(cx: &Ctx<'_>, op: &Operation, types: &TokenStream) -> TokenStream {
    let name = ident(op.function());
    let ty = operation_type(op);
    let lifetime = super::operations::needs_lifetime(cx, op).then(|| quote!(<'a>));
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let id = ident(&p.rust_name);
        let t = in_types(&super::operations::param_type(cx, p), types);
        quote!(#id: #t)
    });
    let arg_names: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let id = ident(&p.rust_name);
            quote!(#id)
        })
        .collect();
    let body = op.body.as_ref().filter(|b| !b.empty).and_then(|b| {
        let def = cx.resolve(&b.ty)?;
        Some(cx.type_path(def, ""))
    });
    let body_arg = body.as_ref().map(|t| {
        let t = in_types(t, types);
        quote!(request: &'a #t)
    });
    let body_name = body.as_ref().map(|_| quote!(request));
    let all_args = args.chain(body_arg);
    let all_names = arg_names.iter().cloned().chain(body_name);
    let doc = docs(Some(&function_doc(op)));
    quote! {
        #doc
        #[inline]
        pub fn #name(&self, #(#all_args),*) -> crate::Call<'a, #ty #lifetime> {
            crate::Call::new(self.client, #ty::new(#(#all_names),*))
        }
    }
}

/// The operation's documentation, plus how its optional parameters are set.
fn function_doc(op: &Operation) -> String {
    let mut text = super::operations::operation_doc(op);
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    if !optional.is_empty() {
        let list: Vec<String> = optional
            .iter()
            .map(|p| format!("`.{}(…)` ({})", p.rust_name, p.name))
            .collect();
        text.push_str(&format!(
            "\n\nOptional parameters are set on the returned call before `.await`: {}.",
            list.join(", ")
        ));
    }
    text
}

/// Setters on `Call<'a, Op>` for each optional parameter, so that
/// `client.x().get(id).member_id("…").await` reads as one call.
fn optional_setters(cx: &Ctx<'_>, op: &Operation, types: &TokenStream) -> Option<TokenStream> {
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    if optional.is_empty() {
        return None;
    }
    let ty = operation_type(op);
    let lifetime = super::operations::needs_lifetime(cx, op).then(|| quote!(<'a>));
    let setters = optional.iter().map(|p| {
        let id = ident(&p.rust_name);
        let t = in_types(&super::operations::param_type(cx, p), types);
        let doc = docs(Some(&format!(
            "Sets the optional parameter `{}`.{}",
            p.name,
            p.description
                .as_deref()
                .map(|d| format!("\n\n{d}"))
                .unwrap_or_default()
        )));
        quote! {
            #doc
            #[inline]
            pub fn #id(self, value: #t) -> Self {
                self.map(|operation| operation.#id(value))
            }
        }
    });
    Some(quote! {
        impl<'a> crate::Call<'a, #ty #lifetime> {
            #(#setters)*
        }
    })
}

/// `tokens`, a path in the types crate (`crate::…`), as the client and
/// the mock name it (`stytch_types::…`).
pub(super) fn in_types(tokens: &TokenStream, types: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    for tree in tokens.clone() {
        match &tree {
            proc_macro2::TokenTree::Ident(i) if i == "crate" => {
                out.extend(types.clone());
            }
            _ => out.extend([tree]),
        }
    }
    out
}
