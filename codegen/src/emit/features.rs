//! Cargo features per API group: a user who calls three operations
//! compiles the types those operations reach, not the whole API.
//!
//! An operation belongs to the feature of its top-level group
//! (`users`), or, when that group holds no function of its own and only
//! subgroups (`b2b`), of its top two groups joined by `-`
//! (`b2b-organizations`). A type is compiled when a feature of an
//! operation that reaches it is on. A type more than half the groups
//! reach (the session and member objects most calls return) is always
//! compiled: a build almost always needs it, and a list of those features
//! on each of its items would be long to read. So is a type no operation
//! reaches (the error object, which the client's own code names): nothing
//! says which group it would belong to. `full` turns every group on.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::model::{Operation, TypeId, TypeSpace};

/// The feature that turns on every group.
pub(crate) const FULL: &str = "full";

/// Which feature each operation and each type belongs to.
#[derive(Debug, Default)]
pub(crate) struct Features {
    /// A feature's group path (`["b2b", "organizations"]`) → its name.
    groups: BTreeMap<Vec<String>, String>,
    /// The features whose operations reach a type.
    of_type: BTreeMap<TypeId, BTreeSet<String>>,
    /// Types reached by an operation directly on the client, which no
    /// feature holds: always compiled.
    always: BTreeSet<TypeId>,
}

impl Features {
    pub(crate) fn of(space: &TypeSpace) -> Features {
        let ops = &space.operations;
        let mut features = Features::default();
        for op in ops {
            let Some(path) = feature_path(ops, op) else {
                features.always.extend(space.reachable(op.types()));
                continue;
            };
            let name = path.join("-");
            for id in space.reachable(op.types()) {
                features.of_type.entry(id).or_default().insert(name.clone());
            }
            features.groups.insert(path, name);
        }
        features
    }

    /// The group features, in order; `full` is not among them.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        let names: BTreeSet<&str> = self.groups.values().map(String::as_str).collect();
        names.into_iter()
    }

    /// The feature of the group at `path` and of everything below it; none
    /// for a group above the features' level (`b2b`).
    pub(crate) fn of_group(&self, path: &[String]) -> Option<&str> {
        (1..=path.len())
            .find_map(|n| self.groups.get(&path[..n]))
            .map(String::as_str)
    }

    /// `#[cfg(...)]` for an operation; none when it is always compiled.
    pub(crate) fn operation_cfg(&self, op: &Operation) -> Option<TokenStream> {
        self.of_group(op.groups()).map(|f| cfg([f]))
    }

    /// `#[cfg(...)]` for a type; none when it is always compiled.
    pub(crate) fn type_cfg(&self, id: &TypeId) -> Option<TokenStream> {
        if self.always.contains(id) {
            return None;
        }
        match self.of_type.get(id) {
            Some(set) if set.len() * 2 <= self.groups.len() => {
                Some(cfg(set.iter().map(String::as_str)))
            }
            _ => None,
        }
    }
}

/// The group path an operation's feature is named after; none for an
/// operation directly on the client.
fn feature_path(ops: &[Operation], op: &Operation) -> Option<Vec<String>> {
    let groups = op.groups();
    let top = groups.first()?;
    let top_has_functions = ops.iter().any(|o| o.groups() == std::slice::from_ref(top));
    let depth = if top_has_functions { 1 } else { 2 };
    Some(groups[..depth.min(groups.len())].to_vec())
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", …))]`.
pub(crate) fn cfg<'a>(features: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let features: Vec<&str> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `items` with `cfg` in front of each top-level item. The items are this
/// generator's own output, so an item ends at a top-level `;`, or at a
/// top-level `{…}` unless it is a `use` or holds an `=` (an initializer).
pub(crate) fn gate(cfg: Option<&TokenStream>, items: TokenStream) -> TokenStream {
    let Some(cfg) = cfg else { return items };
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut to_semicolon = false;
    for tree in items {
        let ends = match &tree {
            TokenTree::Punct(p) if p.as_char() == ';' => true,
            TokenTree::Punct(p) if p.as_char() == '=' => {
                to_semicolon = true;
                false
            }
            TokenTree::Ident(i) if i == "use" => {
                to_semicolon = true;
                false
            }
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace && !to_semicolon,
            _ => false,
        };
        item.push(tree);
        if ends {
            out.extend(cfg.clone());
            out.extend(item.drain(..));
            to_semicolon = false;
        }
    }
    // Nothing is left over from well-formed items.
    out.extend(item);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(items: TokenStream, expect: &str) {
        let gated = gate(Some(&cfg(["users"])), items);
        let file: syn::File = match syn::parse2(gated) {
            Ok(file) => file,
            Err(e) => panic!("gated items do not parse: {e}"),
        };
        assert_eq!(prettyplease::unparse(&file).trim(), expect.trim());
    }

    #[test]
    fn every_top_level_item_is_gated() {
        check(
            quote! {
                /// Doc.
                #[derive(Debug)]
                pub struct A { a: u8 }
                impl A { fn f(&self) -> u8 { let x = 1; x } }
                pub struct B(u8);
                pub type C = A;
                use std::collections::{BTreeMap, BTreeSet};
                const D: B = B { 0: 1 };
            },
            r#"
#[cfg(feature = "users")]
/// Doc.
#[derive(Debug)]
pub struct A {
    a: u8,
}
#[cfg(feature = "users")]
impl A {
    fn f(&self) -> u8 {
        let x = 1;
        x
    }
}
#[cfg(feature = "users")]
pub struct B(u8);
#[cfg(feature = "users")]
pub type C = A;
#[cfg(feature = "users")]
use std::collections::{BTreeMap, BTreeSet};
#[cfg(feature = "users")]
const D: B = B { 0: 1 };
"#,
        );
    }

    #[test]
    fn several_features_are_any_of_them() {
        let tokens = cfg(["a", "b"]);
        assert_eq!(
            tokens.to_string(),
            quote!(#[cfg(any(feature = "a", feature = "b"))]).to_string()
        );
    }
}
