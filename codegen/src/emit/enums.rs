//! A string enum. Closed enums (reached from a request) refuse values the
//! schema does not list; open ones keep them in an `Unknown` variant so a
//! response stays readable when Stytch adds a value.

use proc_macro2::TokenStream;
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
    // The violation's constraint, rendered here once instead of on each failure.
    let listed: Vec<String> = wires
        .iter()
        .map(|w| serde_json::Value::from(w.as_str()).to_string())
        .collect();
    let constraint = format!("enum [{}]", listed.join(", "));

    let common = |variants: TokenStream, as_str: TokenStream, derive: TokenStream| {
        quote! {
            #doc
            #derive
            pub enum #name {
                #variants
            }

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

            #as_str
        }
    };

    if e.closed {
        let variants = quote!(#( #[doc = #variant_docs] #idents, )*);
        let methods = quote! {
            impl #name {
                /// Every value the schema lists, in schema order.
                pub const ALL: &'static [#name] = &[#(#name::#idents),*];

                /// The value as sent on the wire.
                #[inline]
                pub fn as_str(&self) -> &'static str {
                    match self {
                        #(#name::#idents => #wires,)*
                    }
                }

                #[inline]
                pub(crate) fn from_raw(
                    raw: String,
                    path: &crate::validation::Path<'_>,
                    errs: &mut crate::validation::Violations,
                ) -> Option<Self> {
                    match raw.as_str() {
                        #(#wires => Some(#name::#idents),)*
                        other => {
                            crate::validation::enum_violation(#constraint, other, path, errs);
                            None
                        }
                    }
                }
            }
        };
        common(
            variants,
            methods,
            quote!(#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]),
        )
    } else {
        let variants = quote! {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this version of the schema does not list. Responses may
            /// carry one; a request holding one fails to build.
            Unknown(String),
        };
        let methods = quote! {
            impl #name {
                /// The value as sent on the wire.
                #[inline]
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#name::#idents => #wires,)*
                        #name::Unknown(other) => other,
                    }
                }

                /// Unlisted values are kept, except inside a request.
                #[inline]
                pub(crate) fn from_raw(
                    raw: String,
                    path: &crate::validation::Path<'_>,
                    errs: &mut crate::validation::Violations,
                ) -> Option<Self> {
                    match raw.as_str() {
                        #(#wires => Some(#name::#idents),)*
                        other if errs.strict() => {
                            crate::validation::enum_violation(#constraint, other, path, errs);
                            None
                        }
                        _ => Some(#name::Unknown(raw)),
                    }
                }
            }
        };
        common(
            variants,
            methods,
            quote!(#[derive(Debug, Clone, PartialEq, Eq, Hash)]),
        )
    }
}
