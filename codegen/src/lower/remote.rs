//! Documents a `$ref` names outside the input: read from the local files
//! the caller maps URLs to ([`crate::Config::resolve`]), or the official
//! draft 2020-12 metaschemas as the `referencing` crate ships them. Nothing
//! is ever fetched over the network; a URL neither covers is refused.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use serde_json::Value;

use crate::diagnostic;
use crate::input::SourceFile;

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

/// One document read for a URL.
pub(super) struct RemoteDocument {
    /// Its name in diagnostics (the file, or the bundled metaschema's URL),
    /// and its text, to locate them.
    pub file: SourceFile,
    pub value: Arc<Value>,
}

/// The remote map and the documents read through it so far (each once).
pub(super) struct Remotes<'a> {
    map: &'a [(String, PathBuf)],
    pub documents: Vec<RemoteDocument>,
    /// URL (normalized, without fragment) → index in `documents`, or why it
    /// cannot be read.
    by_url: BTreeMap<String, Result<usize, String>>,
}

impl<'a> Remotes<'a> {
    pub fn new(map: &'a [(String, PathBuf)]) -> Self {
        Remotes {
            map,
            documents: Vec::new(),
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
    /// neither the map nor the bundled metaschemas cover it, else its index
    /// or why it cannot be read (parsed, the problem located in it).
    pub fn get(&mut self, url: &str) -> Option<Result<usize, String>> {
        if let Some(known) = self.by_url.get(url) {
            return Some(known.clone());
        }
        let file = match self.path(url) {
            Some(path) => match std::fs::read_to_string(&path) {
                Ok(text) => SourceFile {
                    name: path.display().to_string(),
                    text,
                },
                Err(e) => {
                    let message = format!(
                        "cannot read {} (the remote map's file for {url:?}): {e}",
                        path.display()
                    );
                    self.by_url.insert(url.to_owned(), Err(message.clone()));
                    return Some(Err(message));
                }
            },
            None => {
                let value = bundled(url)?;
                let value = Arc::clone(value);
                let text = serde_json::to_string_pretty(&*value).unwrap_or_default();
                let index = self.documents.len();
                self.documents.push(RemoteDocument {
                    file: SourceFile {
                        name: format!("{url} (bundled)"),
                        text,
                    },
                    value,
                });
                self.by_url.insert(url.to_owned(), Ok(index));
                return Some(Ok(index));
            }
        };
        match diagnostic::parse(&file) {
            Ok(value) => {
                let index = self.documents.len();
                self.documents.push(RemoteDocument {
                    file,
                    value: Arc::new(value),
                });
                self.by_url.insert(url.to_owned(), Ok(index));
                Some(Ok(index))
            }
            Err(d) => {
                let message = format!("the remote map's file for {url:?} is not valid JSON: {d}");
                self.by_url.insert(url.to_owned(), Err(message.clone()));
                Some(Err(message))
            }
        }
    }
}
