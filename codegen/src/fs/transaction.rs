//! Writing several files, in several directories, as one step: all of them
//! or none. Every new file is first staged beside its target as
//! `.NAME.stytch-codegen.tmp` and fsync'd; then a journal naming the targets
//! is written (so every file it names is complete); then the renames and
//! removals are done, and the journal removed. A run that finds a journal
//! finishes it before anything else ([`recover`]); temporary files of ours
//! found with no journal are a run killed while staging, and are removed.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use super::{Existing, check_ownership, is_generated, stale_files, with_path};
use crate::config::GeneratedFile;

/// The journal's file name, in the directory given to [`Transaction::new`].
pub const JOURNAL: &str = ".stytch-codegen.journal";

const TEMPORARY_SUFFIX: &str = ".stytch-codegen.tmp";

/// What the journal's first key says, so a foreign or future file is refused
/// rather than misread.
const JOURNAL_VERSION: &str = "stytch-codegen journal 1";

/// The temporary file a new `path` is staged in, beside it (a rename within
/// one directory is atomic).
pub fn temporary(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(Default::default, OsStr::to_string_lossy);
    path.with_file_name(format!(".{name}{TEMPORARY_SUFFIX}"))
}

/// The directory `path` is in: `.` for a bare file name (whose `parent()`
/// is empty, which no directory call takes).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Whether a file name is one of our temporary files: by name alone, since
/// one left by a killed run may hold anything (or nothing).
pub(super) fn is_temporary(name: &OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.ends_with(TEMPORARY_SUFFIX))
}

/// Why a [`Transaction`] did not complete.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// Failed before the first rename: every file is as it was.
    #[error("{0}")]
    Unwritten(io::Error),
    /// Failed between the first rename and the journal's removal: the
    /// journal stays, and the next run finishes the renames.
    #[error("{error}; the update is half done: the next run finishes it from {}", journal.display())]
    Interrupted { error: io::Error, journal: PathBuf },
}

/// Files to write and remove together. Nothing touches the disk until
/// [`Transaction::stage`] (or [`Transaction::commit`]).
#[derive(Debug)]
pub struct Transaction {
    journal_dir: PathBuf,
    dirs: BTreeSet<PathBuf>,
    writes: BTreeMap<PathBuf, Vec<u8>>,
    removals: BTreeSet<PathBuf>,
}

impl Transaction {
    /// A transaction whose journal goes in `journal_dir`, the directory a
    /// later run looks in ([`recover`]).
    pub fn new(journal_dir: &Path) -> Transaction {
        Transaction {
            journal_dir: journal_dir.to_path_buf(),
            dirs: BTreeSet::from([journal_dir.to_path_buf()]),
            writes: BTreeMap::new(),
            removals: BTreeSet::new(),
        }
    }

    /// Makes sure `dir` exists after the commit, even with nothing in it.
    pub fn create_dir(&mut self, dir: &Path) {
        self.dirs.insert(dir.to_path_buf());
    }

    /// Replaces (or creates) `path` with `bytes`. No ownership check: the
    /// caller decided the file is to be replaced.
    pub fn replace(&mut self, path: &Path, bytes: impl Into<Vec<u8>>) {
        self.dirs.insert(parent_dir(path).to_path_buf());
        self.removals.remove(path);
        self.writes.insert(path.to_path_buf(), bytes.into());
    }

    /// Removes `path` if it still carries the generated mark then.
    pub fn remove(&mut self, path: &Path) {
        self.writes.remove(path);
        self.removals.insert(path.to_path_buf());
    }

    /// Adds `files` written into `out` (see [`super::write_output`]): the
    /// changed ones, and the removal of the generated `.rs` files no longer
    /// produced. Checks first that none of them replaces a file the
    /// generator did not write; writes nothing. Returns the paths that will
    /// change.
    pub fn add_output(
        &mut self,
        out: &Path,
        files: &[GeneratedFile],
        existing: Existing,
    ) -> io::Result<Vec<PathBuf>> {
        check_ownership(out, files, existing)?;
        self.create_dir(out);
        let mut changed = Vec::new();
        for file in files {
            let path = out.join(&file.path);
            // Even unchanged, its directory is cleared of what a killed run left.
            self.create_dir(parent_dir(&path));
            if !std::fs::read_to_string(&path).is_ok_and(|old| old == file.contents) {
                self.replace(&path, file.contents.as_bytes());
                changed.push(path);
            }
        }
        for stale in stale_files(out, files)? {
            self.remove(&stale);
            changed.push(stale);
        }
        Ok(changed)
    }

    /// Stages and applies: every file is written, or none.
    pub fn commit(self) -> Result<Vec<PathBuf>, CommitError> {
        self.stage().map_err(CommitError::Unwritten)?.apply()
    }

    /// Writes every new file as a synced temporary file, then the journal.
    /// On an error the temporary files and the directories this created are
    /// removed, and nothing else was touched. What is staged is applied by
    /// [`Staged::apply`], or by the next run's [`recover`] if this one dies.
    pub fn stage(self) -> io::Result<Staged> {
        let journal = self.journal_dir.join(JOURNAL);
        if std::fs::symlink_metadata(&journal).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{}: an interrupted run is unfinished; finish it first",
                    journal.display()
                ),
            ));
        }
        let targets: BTreeSet<PathBuf> =
            self.writes.keys().chain(&self.removals).cloned().collect();
        let mut dirs = self.dirs.clone();
        dirs.extend(targets.iter().map(|p| parent_dir(p).to_path_buf()));
        for dir in &dirs {
            remove_leftovers(dir)?;
        }
        let mut created = Vec::new();
        let staged = create_dirs(&dirs, &mut created)
            .and_then(|()| self.stage_files())
            .and_then(|()| {
                // Nothing to replace: no journal, so none to finish.
                if self.writes.is_empty() && self.removals.is_empty() {
                    return Ok(None);
                }
                write_journal(&self.journal_dir, &self.writes, &self.removals).map(Some)
            });
        match staged {
            Ok(journal) => Ok(Staged {
                journal,
                dirs,
                writes: self.writes.into_keys().collect(),
                removals: self.removals,
            }),
            Err(e) => {
                for path in self.writes.keys() {
                    let _ = std::fs::remove_file(temporary(path));
                }
                let _ = std::fs::remove_file(temporary(&self.journal_dir.join(JOURNAL)));
                // Innermost first; `remove_dir` only takes empty ones.
                for dir in created.iter().rev() {
                    let _ = std::fs::remove_dir(dir);
                }
                Err(e)
            }
        }
    }

    fn stage_files(&self) -> io::Result<()> {
        for (path, bytes) in &self.writes {
            write_synced(&temporary(path), bytes)?;
        }
        Ok(())
    }
}

/// A staged transaction: every new file complete on disk, the journal
/// written, no target touched yet.
#[derive(Debug)]
pub struct Staged {
    journal: Option<PathBuf>,
    dirs: BTreeSet<PathBuf>,
    writes: Vec<PathBuf>,
    removals: BTreeSet<PathBuf>,
}

impl Staged {
    /// The journal a later run would finish this from (none when there is
    /// nothing to replace).
    pub fn journal(&self) -> Option<&Path> {
        self.journal.as_deref()
    }

    /// Renames every staged file over its target, removes the removals,
    /// then the journal. Returns the paths that changed.
    pub fn apply(self) -> Result<Vec<PathBuf>, CommitError> {
        let Some(journal) = &self.journal else {
            return Ok(Vec::new());
        };
        let interrupted = |error| CommitError::Interrupted {
            error,
            journal: journal.clone(),
        };
        let mut changed = Vec::new();
        for path in &self.writes {
            std::fs::rename(temporary(path), path).map_err(|e| interrupted(with_path(e, path)))?;
            changed.push(path.clone());
        }
        for path in &self.removals {
            if remove_generated(path).map_err(interrupted)? {
                changed.push(path.clone());
            }
        }
        for dir in &self.dirs {
            sync_dir(dir).map_err(interrupted)?;
        }
        std::fs::remove_file(journal).map_err(|e| interrupted(with_path(e, journal)))?;
        Ok(changed)
    }
}

/// Finishes the transaction whose journal is in `journal_dir`, if a run was
/// killed after staging it: returns the paths it changed, or `None` when
/// there is no journal.
pub fn recover(journal_dir: &Path) -> io::Result<Option<Vec<PathBuf>>> {
    let journal = journal_dir.join(JOURNAL);
    let text = match std::fs::read_to_string(&journal) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(with_path(e, &journal)),
    };
    let (writes, removals) = parse_journal(journal_dir, &text).map_err(|message| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: {message}; it is not a journal this stytch-codegen wrote",
                journal.display()
            ),
        )
    })?;
    let mut changed = Vec::new();
    for path in &writes {
        // Already renamed when the run died, if its temporary file is gone.
        let staged = temporary(path);
        if std::fs::symlink_metadata(&staged).is_ok() {
            std::fs::rename(&staged, path).map_err(|e| with_path(e, path))?;
            changed.push(path.clone());
        }
    }
    for path in &removals {
        if remove_generated(path)? {
            changed.push(path.clone());
        }
    }
    let dirs: BTreeSet<&Path> = writes
        .iter()
        .chain(&removals)
        .map(|p| parent_dir(p))
        .collect();
    for dir in dirs {
        sync_dir(dir)?;
    }
    std::fs::remove_file(&journal).map_err(|e| with_path(e, &journal))?;
    Ok(Some(changed))
}

/// Removes `path` if it is there and still the generator's.
fn remove_generated(path: &Path) -> io::Result<bool> {
    if !is_generated(path) {
        return Ok(false);
    }
    std::fs::remove_file(path).map_err(|e| with_path(e, path))?;
    Ok(true)
}

/// Removes our temporary files in `dir`: with no journal (it was finished
/// first), they are what a run killed while staging left.
fn remove_leftovers(dir: &Path) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(with_path(e, dir)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| with_path(e, dir))?;
        let is_file = entry.file_type().is_ok_and(|t| !t.is_dir());
        if is_file && is_temporary(&entry.file_name()) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| with_path(e, &path))?;
        }
    }
    Ok(())
}

/// Creates each missing directory, recording in `created` the ones it made,
/// outermost first, so a failed staging can take them back.
fn create_dirs(dirs: &BTreeSet<PathBuf>, created: &mut Vec<PathBuf>) -> io::Result<()> {
    for dir in dirs {
        let missing: Vec<&Path> = dir
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .collect();
        std::fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
        created.extend(missing.into_iter().rev().map(Path::to_path_buf));
    }
    Ok(())
}

/// Writes `bytes` to a new file at `path` and syncs it, replacing one a
/// killed run left there.
fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(with_path(e, path)),
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| with_path(e, path))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| with_path(e, path))
}

/// Makes renames and removals in `dir` durable. Only Unix can open a
/// directory to sync it; elsewhere the rename's own guarantees stand.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| with_path(e, dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Writes the journal (through its own temporary file, so a journal that
/// exists is whole) and returns its path.
fn write_journal(
    journal_dir: &Path,
    writes: &BTreeMap<PathBuf, Vec<u8>>,
    removals: &BTreeSet<PathBuf>,
) -> io::Result<PathBuf> {
    let base = std::fs::canonicalize(journal_dir).map_err(|e| with_path(e, journal_dir))?;
    let relative = |paths: &mut dyn Iterator<Item = &PathBuf>| -> io::Result<Vec<String>> {
        paths.map(|p| relative_to(&base, p)).collect()
    };
    let document = serde_json::json!({
        "version": JOURNAL_VERSION,
        "write": relative(&mut writes.keys())?,
        "remove": relative(&mut removals.iter())?,
    });
    let journal = journal_dir.join(JOURNAL);
    write_synced(&temporary(&journal), document.to_string().as_bytes())?;
    std::fs::rename(temporary(&journal), &journal).map_err(|e| with_path(e, &journal))?;
    sync_dir(journal_dir)?;
    Ok(journal)
}

/// `path` relative to the canonical directory `base`, `/`-separated, so the
/// journal still holds when the tree is moved.
fn relative_to(base: &Path, path: &Path) -> io::Result<String> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(io::Error::other(format!(
            "{}: not a file path",
            path.display()
        )));
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let parent = std::fs::canonicalize(parent).map_err(|e| with_path(e, parent))?;
    let common = base
        .components()
        .zip(parent.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_owned(); base.components().count() - common];
    for component in parent
        .components()
        .skip(common)
        .chain([Component::Normal(name)])
    {
        let part = component.as_os_str().to_str().ok_or_else(|| {
            io::Error::other(format!("{}: the path is not UTF-8", path.display()))
        })?;
        parts.push(part.to_owned());
    }
    Ok(parts.join("/"))
}

type Targets = (Vec<PathBuf>, Vec<PathBuf>);

/// The journal's targets, resolved against `journal_dir`. Each is checked to
/// be a plain file path: the journal only ever renames one of our temporary
/// files onto the name beside it, or removes a generated file.
fn parse_journal(journal_dir: &Path, text: &str) -> Result<Targets, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    if value.get("version").and_then(serde_json::Value::as_str) != Some(JOURNAL_VERSION) {
        return Err(format!("its `version` is not {JOURNAL_VERSION:?}"));
    }
    let list = |key: &str| -> Result<Vec<PathBuf>, String> {
        let Some(items) = value.get(key).and_then(serde_json::Value::as_array) else {
            return Err(format!("`{key}` is not a list"));
        };
        items
            .iter()
            .map(|item| match item.as_str() {
                Some(rel) if is_target(rel) => Ok(journal_dir.join(rel)),
                _ => Err(format!("`{key}` holds {item}, not a relative file path")),
            })
            .collect()
    };
    Ok((list("write")?, list("remove")?))
}

/// A relative path naming a file: `..` only leading, no `.`, nothing empty.
fn is_target(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let name = parts.last().copied().unwrap_or_default();
    let up = parts.iter().take_while(|p| **p == "..").count();
    // Backslashes and drive colons would escape the directory on Windows.
    !rel.contains(['\\', ':'])
        && !name.is_empty()
        && name != ".."
        && !is_temporary(OsStr::new(name))
        && parts[up..]
            .iter()
            .all(|p| !p.is_empty() && *p != "." && *p != "..")
}
