//! Every file a run reads, each under the [`FileId`] it is given when read:
//! the inputs, the overlays, and the documents `$ref`s reach through the
//! remote map. A diagnostic is built from an id and located in that file.

use std::cell::OnceCell;

use crate::diagnostic::{self, Diagnostic, Locator};
use crate::input::SourceFile;

/// One file of a run, as [`SourceMap::add`] gave it. Opaque: it names a file
/// of the map that gave it, and of no other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct FileId(usize);

/// The files of one run, by id.
#[derive(Default)]
pub(crate) struct SourceMap {
    files: Vec<Source>,
}

struct Source {
    file: SourceFile,
    /// The file's nodes by pointer, read at its first diagnostic.
    locator: OnceCell<Locator>,
}

impl SourceMap {
    pub(crate) fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len());
        self.files.push(Source {
            file,
            locator: OnceCell::new(),
        });
        id
    }

    /// The file `id` names. Ids are only handed out by `add`, and files are
    /// never removed, so every id of this map names one.
    pub(crate) fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0].file
    }

    /// A problem at `pointer` in the file `id`, located (line, column, span):
    /// the node at the pointer, or its deepest ancestor that exists (an
    /// overlay may have added the rest).
    pub(crate) fn at(&self, id: FileId, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let mut d = diagnostic::at(self.get(id), pointer, message);
        self.locate(id, std::slice::from_mut(&mut d));
        d
    }

    /// Locates, in the file `id`, the diagnostics not located yet: those
    /// code outside the map built from the file itself.
    pub(crate) fn locate(&self, id: FileId, diagnostics: &mut [Diagnostic]) {
        let source = &self.files[id.0];
        let locator = source.locator.get_or_init(|| Locator::new(&source.file));
        for d in diagnostics.iter_mut().filter(|d| d.line == 0) {
            locator.locate(&source.file, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn files_of_the_same_name_are_told_apart_by_id() {
        let mut sources = SourceMap::default();
        let a = sources.add(file("same.json", "{\"a\": 1}"));
        let b = sources.add(file("same.json", "{\n\n  \"a\": 1}"));
        assert_ne!(a, b);
        let (da, db) = (sources.at(a, "/a", "boom"), sources.at(b, "/a", "boom"));
        assert_eq!((da.file.as_str(), da.line, da.column), ("same.json", 1, 2));
        assert_eq!((db.file.as_str(), db.line, db.column), ("same.json", 3, 3));
    }

    #[test]
    fn locates_nested_member_key() {
        let mut sources = SourceMap::default();
        let id = sources.add(file("f.json", "{\n  \"a\": {\n    \"b/c\": [1, 2]\n  }\n}"));
        let d = sources.at(id, "/a/b~1c/1", "boom");
        assert_eq!((d.line, d.column), (3, 16));
    }

    #[test]
    fn falls_back_to_deepest_existing_node() {
        let mut sources = SourceMap::default();
        let id = sources.add(file("f.json", "{\n  \"a\": {}\n}"));
        let d = sources.at(id, "/a/missing", "boom");
        assert_eq!((d.line, d.column), (2, 3));
    }

    #[test]
    fn columns_count_characters_after_the_last_line_break() {
        let mut sources = SourceMap::default();
        let id = sources.add(file("f.json", "{\"é\": 1,\n \"ü\": {\"x\": 2}}"));
        let d = sources.at(id, "/ü/x", "boom");
        assert_eq!((d.line, d.column), (2, 8));
    }
}
