//! What a run reads: input files, and the documents of a standalone run.

use crate::sources::{FileId, SourceMap};

/// One input file: its name as shown in diagnostics, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// Everything one run reads.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// JSON Schema files, one component each, identified by
    /// `"$id": "#/components/schemas/NAME"`.
    pub schemas: Vec<SourceFile>,
    /// OpenAPI Overlay 1.0 documents, applied in order.
    pub overlays: Vec<SourceFile>,
    /// OpenAPI 3.0/3.1 documents (JSON, or YAML when the name ends in
    /// `.yaml`/`.yml`) whose `components.schemas` are read as schemas.
    pub openapi: Vec<SourceFile>,
}

/// The ids the files of an [`Input`] were given in a run's [`SourceMap`].
pub(crate) struct InputFiles {
    pub schemas: Vec<FileId>,
    pub overlays: Vec<FileId>,
    pub openapi: Vec<FileId>,
}

impl Input {
    /// Adds every file to `sources`.
    pub(crate) fn read(&self, sources: &mut SourceMap) -> InputFiles {
        let mut add = |files: &[SourceFile]| -> Vec<FileId> {
            files.iter().map(|f| sources.add(f.clone())).collect()
        };
        InputFiles {
            schemas: add(&self.schemas),
            overlays: add(&self.overlays),
            openapi: add(&self.openapi),
        }
    }
}

/// One standalone JSON Schema document (no `$id` of the component form
/// needed) and the component name its type is generated under.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Standalone {
    /// Component name, e.g. `suite_Type3` (see [`crate::naming::type_path`]).
    pub name: String,
    pub file: SourceFile,
    /// Whether `format` asserts in this document, overriding
    /// [`crate::Config::format_assertion`] (`None`: the config decides). Documents
    /// of one run may differ, as the test suite's required and optional
    /// files do.
    pub format_assertion: Option<bool>,
}

impl Standalone {
    /// `file` generated under the component name `name`, `format` asserting
    /// as [`crate::Config::format_assertion`] says.
    pub fn new(name: impl Into<String>, file: SourceFile) -> Self {
        Standalone {
            name: name.into(),
            file,
            format_assertion: None,
        }
    }

    /// Whether `format` asserts in this document, whatever the config says.
    pub fn format_assertion(mut self, on: bool) -> Self {
        self.format_assertion = Some(on);
        self
    }
}
