//! What can go wrong while emitting. Lowering refuses every input that
//! cannot be emitted, so these are failures of the generator itself (or of
//! a configuration it cannot build), never of a schema.

/// A failure of emitting, as the command line and the library report it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// The code generated for a file is not Rust syntax.
    #[error("the code generated for `{file}` does not parse: {source}")]
    Unparsable {
        file: String,
        #[source]
        source: syn::Error,
    },
    /// A worker thread died before returning this file (`user.rs`).
    #[error("`{module}` was not generated")]
    ModuleMissing { module: String },
    /// The mock answers from a response schema that is not a component.
    #[error("response schema `{name}` is not a component")]
    NotAComponent { name: String },
    /// The mock's response schemas cannot be written as JSON.
    #[error("cannot write the response schemas: {0}")]
    Schemas(#[source] serde_json::Error),
    /// The configuration asks for a crate that cannot be built (its message
    /// says why).
    #[error("{0}")]
    Crate(String),
}
