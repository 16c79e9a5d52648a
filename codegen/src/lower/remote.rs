//! Documents a `$ref` names outside the input: read from the local files
//! the caller maps URLs to ([`crate::Config::resolve`]), or the official
//! draft 2020-12 metaschemas as the `referencing` crate ships them. Nothing
//! is ever fetched over the network; a URL neither covers is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use serde_json::Value;

use crate::diagnostic;
use crate::input::SourceFile;
use crate::sources::{FileId, SourceMap};

/// The official draft 2020-12 metaschema and its vocabularies' metaschemas.
fn bundled(uri: &str) -> Option<&'static LazyLock<Arc<Value>>> {
    use referencing::meta;
    Some(match uri {
        "https://json-schema.org/draft/2020-12/schema" => &meta::DRAFT202012,
        "https://json-schema.org/draft/2020-12/meta/core" => &meta::DRAFT202012_CORE,
        "https://json-schema.org/draft/2020-12/meta/applicator" => &meta::DRAFT202012_APPLICATOR,
        "https://json-schema.org/draft/2020-12/meta/unevaluated" => &meta::DRAFT202012_UNEVALUATED,
        "https://json-schema.org/draft/2020-12/meta/validation" => &meta::DRAFT202012_VALIDATION,
        "https://json-schema.org/draft/2020-12/meta/meta-data" => &meta::DRAFT202012_META_DATA,
        "https://json-schema.org/draft/2020-12/meta/format-annotation" => {
            &meta::DRAFT202012_FORMAT_ANNOTATION
        }
        "https://json-schema.org/draft/2020-12/meta/format-assertion" => {
            &meta::DRAFT202012_FORMAT_ASSERTION
        }
        "https://json-schema.org/draft/2020-12/meta/content" => &meta::DRAFT202012_CONTENT,
        _ => return None,
    })
}

/// The remote map and the documents read through it so far (each once),
/// each a file of the run's [`SourceMap`].
pub(super) struct Remotes<'a> {
    map: &'a [(String, PathBuf)],
    /// The parsed documents, by file.
    values: BTreeMap<FileId, Arc<Value>>,
    /// URL (normalized, without fragment) → its document's file, or why it
    /// cannot be read.
    by_url: BTreeMap<String, Result<FileId, String>>,
}

impl<'a> Remotes<'a> {
    pub fn new(map: &'a [(String, PathBuf)]) -> Self {
        Remotes {
            map,
            values: BTreeMap::new(),
            by_url: BTreeMap::new(),
        }
    }

    /// The file `url` maps to: an exact entry, else the longest prefix
    /// entry (one ending in `/`) joined with the rest of the URL.
    fn path(&self, url: &str) -> Option<PathBuf> {
        if let Some((_, path)) = self.map.iter().find(|(from, _)| from == url) {
            return Some(path.clone());
        }
        let (prefix, dir) = self
            .map
            .iter()
            .filter(|(from, _)| from.ends_with('/') && url.starts_with(from.as_str()))
            .max_by_key(|(from, _)| from.len())?;
        let rest = &url[prefix.len()..];
        // A normalized URL has no dot segments; a query is no file.
        if rest.is_empty() || rest.contains('?') || rest.split('/').any(|s| s == "..") {
            return None;
        }
        Some(
            rest.split('/')
                .fold(dir.clone(), |p, segment| p.join(segment)),
        )
    }

    /// The document for `url` (normalized, without fragment): `None` when
    /// neither the map nor the bundled metaschemas cover it, else its file
    /// (added to `sources` when first read) or why it cannot be read
    /// (parsed, the problem located in it).
    pub fn get(&mut self, sources: &mut SourceMap, url: &str) -> Option<Result<FileId, String>> {
        if let Some(known) = self.by_url.get(url) {
            return Some(known.clone());
        }
        let read = match self.path(url) {
            Some(path) => read(&path, url),
            None => {
                let value = Arc::clone(bundled(url)?);
                let text = serde_json::to_string_pretty(&*value).unwrap_or_default();
                let file = SourceFile {
                    name: format!("{url} (bundled)"),
                    text,
                };
                Ok((file, value))
            }
        };
        let known = read.map(|(file, value)| {
            let id = sources.add(file);
            self.values.insert(id, value);
            id
        });
        self.by_url.insert(url.to_owned(), known.clone());
        Some(known)
    }

    /// The parsed document of the file `id`, if it is one read here.
    pub fn value(&self, id: FileId) -> Option<Arc<Value>> {
        self.values.get(&id).map(Arc::clone)
    }
}

/// The remote map's file `path` for `url`, read and parsed.
fn read(path: &Path, url: &str) -> Result<(SourceFile, Arc<Value>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read {} (the remote map's file for {url:?}): {e}",
            path.display()
        )
    })?;
    let file = SourceFile {
        name: path.display().to_string(),
        text,
    };
    match diagnostic::parse(&file) {
        Ok(value) => Ok((file, Arc::new(value))),
        Err(d) => Err(format!(
            "the remote map's file for {url:?} is not valid JSON: {d}"
        )),
    }
}
