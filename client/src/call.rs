//! [`Call`]: one operation on its way out, awaited to send it. Optional
//! parameters are set on it before the await
//! (`client.b2b().organizations().members().get(org).member_id("…")`).

use stytch_types::operations::Operation;

use crate::{Client, Error};

// Shared with the standalone client crates the generator writes; this
// crate's copy is generated (`codegen/src/runtime/http_call.rs`), so the
// package holds it.
include!("generated/http_call.rs");
