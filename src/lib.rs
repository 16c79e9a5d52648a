//! Validated Rust types for Stytch's Consumer API, generated from its JSON
//! Schemas by `stytch-codegen`.
//!
//! Every type is valid by construction: deserializing checks every schema
//! constraint, and builders return all violations at once.
//!
//! ```
//! use stytch_types::otp::whatsapp::LoginOrCreateRequest;
//!
//! let request = LoginOrCreateRequest::builder()
//!     .phone_number("+12025550162")
//!     .expiration_minutes(5)
//!     .build()?;
//! assert_eq!(request.phone_number(), "+12025550162");
//!
//! let err = LoginOrCreateRequest::builder()
//!     .phone_number("12025550162")
//!     .expiration_minutes(11)
//!     .build()
//!     .unwrap_err();
//! assert_eq!(err.violations().len(), 2);
//! # Ok::<(), stytch_types::ValidationError>(())
//! ```
//!
//! Every API group is a Cargo feature (`users`, `sessions`, `otps`,
//! `b2b-organizations`, …), all on by default through `full`: a group brings
//! its operations and the types they reach, so a build that names only the
//! groups it calls compiles a fraction of the crate. The list is the
//! `[features]` table of the manifest; the rule is in the README.
//!
//! The version of Stytch's OpenAPI document these types were generated
//! from is [`UPSTREAM_VERSION`]; the crate's version follows what changed
//! between upstream versions (`CHANGELOG.md`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The upstream version of Stytch's OpenAPI document this crate was
/// generated from (its publication date and commit), as `stytch-codegen
/// update` recorded it.
pub const UPSTREAM_VERSION: &str = include_str!("../schemas/upstream-version").trim_ascii();

// With `build-codegen` (the default) the code is generated at build time from
// `schemas/`; without it the committed `generated/` is compiled. A test keeps
// the two byte-identical.
#[cfg(feature = "build-codegen")]
include!(concat!(env!("OUT_DIR"), "/generated/lib.rs"));
#[cfg(not(feature = "build-codegen"))]
include!("../generated/lib.rs");
