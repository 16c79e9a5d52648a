//! An object schema: the validated struct (private fields, accessors), its
//! raw twin, its builder, and the impls that connect them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Ctx;
use super::{docs, ident};
use crate::model::{Field, Struct, TypeDef};
use crate::naming::{Companion, companion};

pub(crate) fn emit(cx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    [
        validated(cx, def, s),
        raw(cx, def, s),
        builder(cx, def, s),
        checks(cx, def, s),
        deserialize(def, s),
    ]
    .into_iter()
    .collect()
}

fn field_docs(field: &Field) -> TokenStream {
    docs(Some(&field_text(field)))
}

/// The field's description (or a note that the document gives none), its
/// constraints and its default: for the accessor and the setter alike.
fn field_text(field: &Field) -> String {
    let mut text = field.description.clone().unwrap_or_else(|| {
        format!(
            "The `{}` property (the document gives no description).",
            field.json_name
        )
    });
    let rules = super::shape::constraint_summary(&field.shape);
    if !rules.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("Constraints: {}.", rules.join(", ")));
    }
    if let Some(default) = &field.default {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        // Documented, not applied: an unset field is left off the wire.
        text.push_str(&format!(
            "Default when unset (applied by the server): `{default}`."
        ));
    }
    text
}

/// Whether serde needs the JSON name spelled out (the Rust name differs).
fn renamed(f: &Field) -> bool {
    f.rust_name != f.json_name || ident(&f.rust_name).to_string().starts_with("r#")
}

fn validated(cx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = format_ident!("{}", def.path.name);
    let builder = format_ident!("{}", companion(&def.path.name, Companion::Builder));
    let doc = super::type_doc(def);
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let ty = cx.rust_type(&f.shape);
        let json = &f.json_name;
        let rename = renamed(f).then(|| quote!(#[serde(rename = #json)]));
        if f.required {
            quote!(#rename #id: #ty,)
        } else {
            quote!(
                #rename
                #[serde(skip_serializing_if = "Option::is_none")]
                #id: Option<#ty>,
            )
        }
    });
    let getters = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let (ret, body) = cx.getter(&f.shape, f.required, &id);
        let doc = field_docs(f);
        quote!(#doc #[inline] pub fn #id(&self) -> #ret { #body })
    });
    let builder_doc = format!(
        " Starts a [`{}`]; `build()` checks every constraint at once.",
        def.path.name
    );
    let (derive_debug, debug) = debug_impl(&name, s, false);
    quote! {
        #doc
        #[derive(#derive_debug Clone, PartialEq, ::serde::Serialize)]
        pub struct #name {
            #(#fields)*
        }

        #debug

        impl #name {
            #[doc = #builder_doc]
            #[inline]
            pub fn builder() -> #builder {
                #builder::default()
            }

            /// A builder holding this value's fields, to change some and rebuild.
            #[inline]
            pub fn into_builder(self) -> #builder {
                #builder { raw: self.into_raw() }
            }

            #(#getters)*
        }
    }
}

/// `Debug` of a struct (`raw`: its raw twin, every field optional): derived
/// (`Debug,` for the derive list), unless a field is a credential
/// (`super::is_credential_name`), which a hand-written impl shows as
/// `"<redacted>"`, as the runtime's `Shown` shows a header; only those
/// structs pay for an impl of their own.
fn debug_impl(name: &proc_macro2::Ident, s: &Struct, raw: bool) -> (TokenStream, TokenStream) {
    let secret = |f: &Field| super::is_credential_name(&f.json_name);
    if !s.fields.iter().any(secret) {
        return (quote!(Debug,), TokenStream::new());
    }
    let label = name.to_string();
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let field = id.to_string();
        let field = field.trim_start_matches("r#");
        match (secret(f), f.required && !raw) {
            (false, _) => quote!(.field(#field, &self.#id)),
            (true, true) => quote!(.field(#field, &crate::validation::REDACTED)),
            (true, false) => quote!(.field(#field, &crate::validation::redacted(&self.#id))),
        }
    });
    let debug = quote! {
        impl ::core::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#label) #(#fields)* .finish()
            }
        }
    };
    (TokenStream::new(), debug)
}

fn raw(cx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let raw = format_ident!("{}", companion(&def.path.name, Companion::Raw));
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let ty = cx.raw_type(&f.shape);
        quote!(pub(crate) #id: crate::validation::RawField<#ty>,)
    });
    let reads = s.fields.iter().enumerate().map(|(i, f)| {
        let id = ident(&f.rust_name);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#i => crate::validation::read_field(&mut self.#id, map),)
    });
    let names = s.fields.iter().enumerate().map(|(i, f)| {
        let name = &f.json_name;
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#name => Some(#i),)
    });
    // Unreachable indices (`index` returns none) read nothing.
    let (name, index, map, lookup, body) = if s.fields.is_empty() {
        (
            quote!(_name),
            quote!(_index),
            quote!(_map),
            quote!(None),
            quote!(Ok(())),
        )
    } else {
        (
            quote!(name),
            quote!(index),
            quote!(map),
            quote!(match name {
                #(#names)*
                _ => None,
            }),
            quote!(match index {
                #(#reads)*
                _ => Ok(()),
            }),
        )
    };
    // The builder's derived `Debug` prints this one.
    let (derive_debug, debug) = debug_impl(&raw, s, true);
    quote! {
        /// Unchecked twin filled by serde or a builder; never escapes the crate.
        #[derive(#derive_debug Clone, Default)]
        pub(crate) struct #raw {
            #(#fields)*
        }

        #debug

        impl crate::validation::RawFields for #raw {
            #[inline]
            fn index(#name: &str) -> Option<usize> {
                #lookup
            }

            fn read<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                #index: usize,
                #map: &mut A,
            ) -> Result<(), A::Error> {
                #body
            }
        }
    }
}

fn builder(cx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let strict = s.strict;
    let name = format_ident!("{}", def.path.name);
    let builder = format_ident!("{}", companion(&def.path.name, Companion::Builder));
    let raw = format_ident!("{}", companion(&def.path.name, Companion::Raw));
    let doc = format!(
        " Builds a [`{}`], checking every constraint in [`{builder}::build`].",
        def.path.name
    );
    let setters = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let param = cx.setter_param(&f.shape);
        let convert = cx.setter_to_raw(&f.shape);
        let required = if f.required { " (required)" } else { "" };
        let doc = docs(Some(&format!(
            "Sets `{}`{required}.\n\n{}",
            f.json_name,
            field_text(f)
        )));
        quote!(
            #doc
            #[inline]
            pub fn #id(mut self, value: #param) -> Self {
                self.raw.#id = Some(crate::validation::Decoded::Value(#convert));
                self
            }
        )
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default)]
        pub struct #builder {
            raw: #raw,
        }

        impl #builder {
            #(#setters)*

            /// Checks every constraint and returns all violations together.
            #[inline]
            pub fn build(self) -> Result<#name, crate::validation::ValidationError> {
                crate::validation::validate_root(#strict, |path, errs| #name::from_raw(self.raw, path, errs))
            }
        }
    }
}

fn checks(cx: &Ctx<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = format_ident!("{}", def.path.name);
    let raw = format_ident!("{}", companion(&def.path.name, Companion::Raw));
    // Every field gets a local (its JSON type is checked even when nothing
    // else is), so all checks run before any `?`.
    let locals = s.fields.iter().map(|f| field_check(cx, f));
    let assemble = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        quote!(#id: #id?,)
    });
    let back = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let value = if f.required {
            let conv = cx.to_raw(&f.shape, quote!(self.#id));
            quote!(Some(crate::validation::Decoded::Value(#conv)))
        } else {
            if super::shape::raw_is_validated(&f.shape) {
                quote!(self.#id.map(crate::validation::Decoded::Value))
            } else {
                let conv = cx.to_raw(&f.shape, quote!(v));
                quote!(self.#id.map(|v| crate::validation::Decoded::Value(#conv)))
            }
        };
        quote!(#id: #value,)
    });
    let checked = !s.fields.is_empty();
    let errs = if checked { quote!(errs) } else { quote!(_errs) };
    let path = if checked { quote!(path) } else { quote!(_path) };
    let raw_binding = if s.fields.is_empty() {
        quote!(_raw)
    } else {
        quote!(raw)
    };
    quote! {
        impl #name {
            /// Checks every field, recording each violation; `None` when a
            /// field could not be built at all.
            // Locals are named after the schema's properties, whatever they are.
            #[allow(clippy::disallowed_names)]
            #[inline]
            pub(crate) fn from_raw(
                #raw_binding: #raw,
                #path: &crate::validation::Path<'_>,
                #errs: &mut crate::validation::Violations,
            ) -> Option<Self> {
                #(#locals)*
                Some(Self { #(#assemble)* })
            }

            #[inline]
            pub(crate) fn into_raw(self) -> #raw {
                #raw { #(#back)* }
            }
        }
    }
}

/// `let <field> = …;`: the field's value read from the raw twin and
/// checked, `None` when it could not be built.
fn field_check(cx: &Ctx<'_>, f: &Field) -> TokenStream {
    let id = ident(&f.rust_name);
    let json = &f.json_name;
    let field_path = quote!(&path.field(#json));
    let check = cx.validate(&f.shape, quote!(value), field_path.clone(), 0);
    let infallible = cx.checked_value(&f.shape, quote!(value), field_path);
    let through = super::shape::passes_through(&f.shape);
    match (f.required, through, infallible) {
        (true, true, _) => quote!(let #id = errs.required_field(raw.#id, path, #json);),
        (true, false, Some(block)) => {
            quote!(let #id = errs.required_field(raw.#id, path, #json).map(|value| #block);)
        }
        (true, false, None) => quote!(
            let #id = errs.required_field(raw.#id, path, #json).and_then(|value| #check);
        ),
        (false, true, _) => quote!(let #id = errs.optional_field(raw.#id, path, #json);),
        (false, false, Some(block)) => quote!(
            let #id = errs.optional_field(raw.#id, path, #json).map(|value| value.map(|value| #block));
        ),
        (false, false, None) => quote!(let #id = match errs.optional_field(raw.#id, path, #json) {
            Some(Some(value)) => #check.map(Some),
            Some(None) => Some(None),
            None => None,
        };),
    }
}

fn deserialize(def: &TypeDef, s: &Struct) -> TokenStream {
    let strict = s.strict;
    let name = format_ident!("{}", def.path.name);
    let raw = format_ident!("{}", companion(&def.path.name, Companion::Raw));
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <crate::validation::Decoded<#raw> as ::serde::Deserialize>::deserialize(deserializer)?;
                crate::validation::deserialize_decoded(#strict, raw, Self::from_raw)
            }
        }
    }
}
