//! What a `$schema` means: the one place it is judged, for both lowerings.
//! Another draft or an unknown metaschema may give the same keywords other
//! meanings, so only what is understood is read; the rest is refused.

use serde_json::Value;

use super::Lowering;
use crate::sources::FileId;

/// The draft 2020-12 metaschema's URL (normalized).
const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// OpenAPI 3.1's base dialect: draft 2020-12's vocabularies, and OpenAPI's
/// own, optional, whose keywords (`discriminator`, `xml`, …) annotate.
const OPENAPI_3_1_BASE: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// What a `$schema` names.
pub(super) enum Dialect {
    /// Draft 2020-12, by its metaschema or OpenAPI 3.1's base dialect: every
    /// keyword means what the generator takes it to mean.
    Draft202012,
    /// Another metaschema, read through the remote map (or one of draft
    /// 2020-12's vocabulary metaschemas, bundled): its `$vocabulary` says
    /// which keywords assert.
    Metaschema(FileId),
    /// Why the `$schema` cannot be honoured.
    Unsupported(String),
}

impl Lowering<'_> {
    /// What the `$schema` value `value` means.
    pub(super) fn dialect(&mut self, value: &Value) -> Dialect {
        let Some(uri) = value.as_str() else {
            return Dialect::Unsupported(format!(
                "unsupported `$schema` {value}: it must be a string, the URI of a metaschema"
            ));
        };
        match super::normalize_url(uri) {
            Some(url) => self.dialect_of(&url),
            None => Dialect::Unsupported(format!(
                "unsupported `$schema` {uri:?}: not a valid URI reference"
            )),
        }
    }

    /// What the dialect `url` (normalized) means.
    pub(super) fn dialect_of(&mut self, url: &str) -> Dialect {
        // An empty fragment names the same document.
        let url = url.strip_suffix('#').unwrap_or(url);
        if [DRAFT_2020_12, OPENAPI_3_1_BASE].contains(&url) {
            return Dialect::Draft202012;
        }
        match self.remotes.get(self.sources, url) {
            Some(Ok(file)) => Dialect::Metaschema(file),
            Some(Err(message)) => Dialect::Unsupported(format!("`$schema` {url:?}: {message}")),
            None => Dialect::Unsupported(format!(
                "unsupported `$schema` {url:?}: neither the draft 2020-12 metaschema nor a metaschema the remote map covers, so which keywords apply is unknown"
            )),
        }
    }

    /// The metaschema whose `$vocabulary` says which keywords assert under
    /// the dialect `url`: for draft 2020-12 (and OpenAPI's base dialect, of
    /// the same vocabularies) its own metaschema, bundled unless the remote
    /// map says otherwise; else the one the map covers. `Err` with the
    /// reason when there is none to read.
    pub(super) fn metaschema(&mut self, url: &str) -> Result<FileId, String> {
        match self.dialect_of(url) {
            Dialect::Draft202012 => match self.remotes.get(self.sources, DRAFT_2020_12) {
                Some(read) => read.map_err(|message| format!("`$schema` {url:?}: {message}")),
                None => Err(format!("the metaschema {DRAFT_2020_12:?} is not bundled")),
            },
            Dialect::Metaschema(file) => Ok(file),
            Dialect::Unsupported(reason) => Err(reason),
        }
    }

    /// `Err` with the reason when typed lowering cannot read a schema under
    /// the `$schema` value `value`: typed fields assume draft 2020-12's
    /// vocabularies, all of them; another metaschema may leave some out,
    /// which only the value lowering honours.
    pub(super) fn typed_dialect(&mut self, value: &Value) -> Result<(), String> {
        match self.dialect(value) {
            Dialect::Draft202012 => Ok(()),
            Dialect::Metaschema(_) => Err(format!(
                "`$schema` {value} is not the draft 2020-12 metaschema, whose vocabularies typed fields assume"
            )),
            Dialect::Unsupported(reason) => Err(reason),
        }
    }
}
