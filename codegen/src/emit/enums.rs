//! A string enum. Closed enums (reached from a request) refuse values the
//! schema does not list; open ones keep them in an `Unknown` variant so a
//! response stays readable when Stytch adds a value.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::{StringEnum, TypeDef};

pub(crate) fn emit(def: &TypeDef, e: &StringEnum) -> TokenStream {
    let name = format_ident!("{}", def.path.name);
    let doc = super::type_doc(def);
    let idents: Vec<_> = e
        .variants
        .iter()
        .map(|(_, v)| format_ident!("{}", v))
        .collect();
    let wires: Vec<&String> = e.variants.iter().map(|(w, _)| w).collect();
    // A value with a control character is shown escaped: a bare CR cannot
    // be in a doc comment, and a newline would break the code span.
    let variant_docs = wires.iter().map(|w| {
        if w.chars().any(char::is_control) {
            format!(" `{w:?}`")
        } else {
            format!(" `{w}`")
        }
    });
    let (derive, unknown, all) = if e.closed {
        (
            quote!(#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]),
            TokenStream::new(),
            quote! {
                /// Every value the schema lists, in schema order.
                pub const ALL: &'static [#name] = &[#(#name::#idents),*];

            },
        )
    } else {
        (
            quote!(#[derive(Debug, Clone, PartialEq, Eq, Hash)]),
            quote! {
                /// A value this version of the schema does not list. Responses may
                /// carry one; a request holding one fails to build.
                Unknown(String),
            },
            TokenStream::new(),
        )
    };
    let as_str = as_str(&name, &idents, &wires, e.closed);
    let from_raw = from_raw(&name, &idents, &wires, e.closed);
    let traits = trait_impls(&name);
    quote! {
        #doc
        #derive
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            #unknown
        }

        #traits

        impl #name {
            #all
            #as_str

            #from_raw
        }
    }
}

/// `Display`, `Serialize` and `Deserialize`, all through `as_str` and
/// `from_raw`.
fn trait_impls(name: &Ident) -> TokenStream {
    quote! {
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <crate::validation::Decoded<String> as ::serde::Deserialize>::deserialize(deserializer)?;
                crate::validation::deserialize_decoded(false, raw, Self::from_raw)
            }
        }
    }
}

/// The wire value: `'static` for a closed enum, borrowed from `Unknown`
/// for an open one.
fn as_str(name: &Ident, idents: &[Ident], wires: &[&String], closed: bool) -> TokenStream {
    let (lifetime, unknown) = if closed {
        (quote!('static), TokenStream::new())
    } else {
        (TokenStream::new(), quote!(#name::Unknown(other) => other,))
    };
    quote! {
        /// The value as sent on the wire.
        #[inline]
        pub fn as_str(&self) -> &#lifetime str {
            match self {
                #(#name::#idents => #wires,)*
                #unknown
            }
        }
    }
}

/// A listed value becomes its variant; an unlisted one is a violation in a
/// closed enum, and in an open one only inside a request.
fn from_raw(name: &Ident, idents: &[Ident], wires: &[&String], closed: bool) -> TokenStream {
    // The violation's constraint, rendered here once instead of on each failure.
    let listed: Vec<String> = wires
        .iter()
        .map(|w| serde_json::Value::from(w.as_str()).to_string())
        .collect();
    let constraint = format!("enum [{}]", listed.join(", "));
    let refuse = quote!({
        crate::validation::enum_violation(#constraint, other, path, errs);
        None
    });
    let (doc, unlisted) = if closed {
        (TokenStream::new(), quote!(other => #refuse))
    } else {
        (
            quote! {
                /// Unlisted values are kept, except inside a request.
            },
            quote! {
                other if errs.strict() => #refuse
                _ => Some(#name::Unknown(raw)),
            },
        )
    };
    quote! {
        #doc
        #[inline]
        pub(crate) fn from_raw(
            raw: String,
            path: &crate::validation::Path<'_>,
            errs: &mut crate::validation::Violations,
        ) -> Option<Self> {
            match raw.as_str() {
                #(#wires => Some(#name::#idents),)*
                #unlisted
            }
        }
    }
}
