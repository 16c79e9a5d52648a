//! `stytch-mock`: a local Stytch for tests. It serves every operation of the
//! API on 127.0.0.1, checks each request with the generated code of
//! `stytch-types` (the body decoded into its request type, the parameters
//! through the operation's `request()`), and answers with a schema-valid
//! response, or with what a test set up.
//!
//! ```no_run
//! # async fn demo() {
//! let mock = stytch_mock::MockServer::start().await;
//! // Point any HTTP client (or `stytch_client`) at `mock.url()`.
//! let base_url = mock.url();
//! # let _ = base_url;
//! # }
//! ```
#![forbid(unsafe_code)]

mod fake;
pub mod jwt;
mod route;
mod server;

/// The route table and schemas, generated from the OpenAPI document;
/// `include!`d so that rustfmt leaves the generator's formatting alone.
#[allow(clippy::all)]
mod generated {
    pub(crate) mod routes {
        include!("generated/routes.rs");
    }
    pub(crate) mod schemas {
        include!("generated/schemas.rs");
    }
}

pub use hyper::HeaderMap;
pub use server::{MockBuilder, MockServer, ReceivedRequest, Reply, When};

/// One operation the mock serves, as the document describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationInfo {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// The path template (`/v1/users/{user_id}`).
    pub path: &'static str,
    pub operation_id: &'static str,
    /// The client's method chain (`["users", "get"]`).
    pub chain: &'static [&'static str],
    /// The operation's own servers (fraud's telemetry server); empty for
    /// the API's base URL.
    pub servers: &'static [&'static str],
}

/// Every operation the mock serves, in the client's chain order.
pub fn operations() -> impl Iterator<Item = OperationInfo> {
    generated::routes::ROUTES.iter().map(|r| OperationInfo {
        method: r.method.as_str(),
        path: r.path,
        operation_id: r.operation_id,
        chain: r.chain,
        servers: r.servers,
    })
}

/// The servers some operations are sent to instead of the base URL
/// (`https://telemetry.stytch.com`). The mock answers them at
/// [`MockServer::url`] too: point each at it (`stytch_client`'s
/// `ClientBuilder::server_url(server, mock.url())`).
pub fn servers() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = operations()
        .flat_map(|o| o.servers.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// What [`each_operation`] sends through: a test's transport (the client's
/// `send_operation`, or any other).
#[doc(hidden)]
pub trait SendOperation {
    fn send<O: stytch_types::operations::Operation>(
        &self,
        operation: &O,
    ) -> impl std::future::Future<Output = Result<(), String>>;
}

/// Every operation of the document, built with sample parameters and
/// bodies, sent through `sender`; each result beside its operation id. The
/// mock's own tests drive the client through it.
#[doc(hidden)]
pub async fn each_operation<S: SendOperation>(
    sender: &S,
) -> Vec<(&'static str, Result<(), String>)> {
    generated::routes::each_operation(sender).await
}

/// A sample of the request component `schema` (required properties only),
/// decoded into its generated type.
fn sample<T: serde::de::DeserializeOwned>(schema: &str) -> Result<T, String> {
    let value = fake::Faker::new(fake::schemas()?, 0, false).component(schema);
    serde_json::from_value(value).map_err(|e| format!("the sample {schema} does not decode: {e}"))
}

/// A sample of a parameter that is not a string: the first of `1`, `true`
/// that decodes. Called by `each_operation` for such parameters; this
/// document has none that is required.
#[allow(dead_code)]
fn sample_param<T: serde::de::DeserializeOwned>() -> Result<T, String> {
    ["1", "true"]
        .iter()
        .find_map(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| "no sample value for a parameter".to_owned())
}
