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
    /// A group path at any level (`["b2b"]`) → the features of the
    /// operations beneath it, which the client's group needs.
    beneath: BTreeMap<Vec<String>, BTreeSet<String>>,
    /// The features whose operations reach a type.
    of_type: BTreeMap<TypeId, BTreeSet<String>>,
    /// Types reached by an operation directly on the client, which no
    /// feature holds: always compiled.
    always: BTreeSet<TypeId>,
}

impl Features {
    pub(crate) fn of(space: &TypeSpace) -> Features {
        let ops = &space.operations;
        // Top-level groups that hold functions of their own name a feature;
        // the others (`b2b`) leave it to their subgroups.
        let tops_with_functions: BTreeSet<&str> = ops
            .iter()
            .filter_map(|op| match op.groups() {
                [top] => Some(top.as_str()),
                _ => None,
            })
            .collect();
        let mut features = Features::default();
        for op in ops {
            let groups = op.groups();
            let Some(top) = groups.first() else {
                features.always.extend(space.reachable(op.types()));
                continue;
            };
            let depth = if tops_with_functions.contains(top.as_str()) {
                1
            } else {
                2
            };
            let path = groups[..depth.min(groups.len())].to_vec();
            let name = path.join("-");
            for id in space.reachable(op.types()) {
                features.of_type.entry(id).or_default().insert(name.clone());
            }
            for n in 1..=groups.len() {
                let above = features.beneath.entry(groups[..n].to_vec()).or_default();
                above.insert(name.clone());
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

    /// `#[cfg(...)]` for the client's group at `path`: any feature of the
    /// operations beneath it, so `b2b()` is there when one `b2b-*` is on.
    pub(crate) fn group_cfg(&self, path: &[String]) -> Option<TokenStream> {
        let beneath = self.beneath.get(path)?;
        Some(cfg(beneath.iter().map(String::as_str)))
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
    // Our emitters leave nothing over; a new item shape that did would
    // still be gated, and fails this assertion in the tests.
    debug_assert!(item.is_empty(), "gate: an item with no end: {item:?}");
    if !item.is_empty() {
        out.extend(cfg.clone());
        out.extend(item);
    }
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
    #[cfg(debug_assertions)]
    #[should_panic(expected = "an item with no end")]
    fn an_item_with_no_end_is_a_bug_the_tests_see() {
        let items = quote! { pub struct A { a: u8 } foo!() };
        gate(Some(&cfg(["users"])), items);
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
