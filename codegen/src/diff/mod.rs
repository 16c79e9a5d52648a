//! Two versions of the input → what changed between them, each change
//! classified for two concerns: the **wire** (would a request an existing
//! caller sends now be refused, or a response the old types read now fail to
//! decode) and the **Rust API** (would code written against the old generated
//! crates stop compiling). Pure, like `generate`: texts in, a report out.
//!
//! It compares the effective documents (overlays applied), not the lowered
//! types, so a version the generator cannot lower is still compared; Rust
//! names come from the same rules the generator uses (`crate::naming`).
//!
//! ```text
//! index (each side) ─▶ matching (which old schema is which new one) ─▶
//! operation + schema rules ─▶ Report ─▶ render (markdown, json, github)
//! ```

mod index;
mod matching;
mod operation;
pub mod render;
mod schema;
pub mod version;

use serde_json::Value;

use crate::{Diagnostics, Input, effective_document};

/// How much a change matters, the worse of its two concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Documentation, examples, `x-code-samples`: nothing a caller can see
    /// change.
    Docs,
    /// New things; every existing caller keeps working and compiling.
    Additive,
    /// An existing caller is refused, fails to decode, or stops compiling.
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Docs => "docs",
            Severity::Additive => "additive",
            Severity::Breaking => "breaking",
        }
    }
}

/// What a change does to one concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    None,
    Additive,
    Breaking,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::Additive => "additive",
            Impact::Breaking => "breaking",
        }
    }

    /// `Breaking` when `breaking`, else `Additive`.
    pub(crate) fn breaking_if(breaking: bool) -> Impact {
        if breaking {
            Impact::Breaking
        } else {
            Impact::Additive
        }
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub wire: Impact,
    pub api: Impact,
    /// The operation it concerns (`POST /v1/users`), when it is one's.
    pub operation: Option<String>,
    /// The Rust item it concerns: a type path (`users::CreateRequest`) or a
    /// client method chain (`users.create`).
    pub rust: Option<String>,
    /// JSON pointer into the new document (the old one for what was
    /// removed).
    pub pointer: String,
    /// One line, lowercase, no trailing period.
    pub message: String,
    /// A breaking change listed in the acknowledgements
    /// ([`Report::acknowledge`]): still reported, no longer failing.
    pub acknowledged: bool,
    /// For a documentation change: the prose before and after (the first
    /// of `description`, `summary`, `title` that changed).
    pub prose: Option<Prose>,
}

/// A text that changed, whole; the report shortens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    pub old: String,
    pub new: String,
}

impl Prose {
    /// The first of the prose keywords whose text differs in `old` and
    /// `new` (a missing one reads as empty).
    pub(crate) fn between(
        old: &serde_json::Map<String, Value>,
        new: &serde_json::Map<String, Value>,
    ) -> Option<Prose> {
        let text = |m: &serde_json::Map<String, Value>, k: &str| {
            m.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        ["description", "summary", "title"].iter().find_map(|k| {
            let (old, new) = (text(old, k), text(new, k));
            (old != new).then_some(Prose { old, new })
        })
    }
}

impl Change {
    /// The worse of the two concerns; `Docs` when neither changes.
    pub fn severity(&self) -> Severity {
        match self.wire.max(self.api) {
            Impact::None => Severity::Docs,
            Impact::Additive => Severity::Additive,
            Impact::Breaking => Severity::Breaking,
        }
    }

    /// The operation, else the Rust item, else the pointer.
    pub fn location(&self) -> &str {
        self.operation
            .as_deref()
            .or(self.rust.as_deref())
            .unwrap_or(&self.pointer)
    }
}

/// Every change, ordered by location, then severity (worst first), then
/// message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    /// How many changes of `severity` there are.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity() == severity)
            .count()
    }

    /// Marks the breaking changes that `list` acknowledges: one per line, a
    /// change's location (all of its changes), or its location, `: ` and
    /// its message (that one). Blank lines and `#` comments are skipped.
    /// Returns the lines that acknowledge nothing, so stale entries show.
    pub fn acknowledge(&mut self, list: &str) -> Vec<String> {
        let mut unused = Vec::new();
        for line in list.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut used = false;
            for change in &mut self.changes {
                let matches = change.location() == line
                    || line
                        .strip_prefix(change.location())
                        .and_then(|rest| rest.strip_prefix(": "))
                        == Some(change.message.as_str());
                if matches && change.severity() == Severity::Breaking {
                    change.acknowledged = true;
                    used = true;
                }
            }
            if !used {
                unused.push(line.to_owned());
            }
        }
        unused
    }

    /// Whether a change of `severity` or worse is present and not
    /// acknowledged.
    pub fn fails(&self, severity: Severity) -> bool {
        self.changes
            .iter()
            .any(|c| c.severity() >= severity && !c.acknowledged)
    }
}

/// The changes from `old` to `new`. Each is read as `generate` reads it
/// (a folder's schemas and OpenAPI document, overlays applied); an input
/// that cannot be read so (not OpenAPI, an overlay whose target matches
/// nothing) is an error naming the file.
pub fn diff(old: &Input, new: &Input) -> Result<Report, Diagnostics> {
    let old_doc = effective_document(old);
    let new_doc = effective_document(new);
    let (old_doc, new_doc) = match (old_doc, new_doc) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let errors = [old.err(), new.err()].into_iter().flatten();
            return Err(Diagnostics(errors.flat_map(|d| d.0).collect()));
        }
    };
    Ok(diff_documents(&old_doc, &new_doc))
}

/// [`diff`] on two effective documents
/// (`{"paths": …, "components": {"schemas": …}}`).
pub fn diff_documents(old: &Value, new: &Value) -> Report {
    let old = index::Side::new(old);
    let new = index::Side::new(new);
    let matches = matching::Matches::new(&old, &new);
    let mut changes = Vec::new();
    operation::compare(&old, &new, &matches, &mut changes);
    schema::compare_components(&old, &new, &matches, &mut changes);
    changes.sort_by(|a, b| {
        (a.location(), b.severity(), &a.pointer, &a.message).cmp(&(
            b.location(),
            a.severity(),
            &b.pointer,
            &b.message,
        ))
    });
    changes.dedup();
    Report { changes }
}
