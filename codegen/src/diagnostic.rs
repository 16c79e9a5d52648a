//! Errors that point into the input: file, JSON pointer, line and column.

use std::collections::HashMap;
use std::fmt;

use crate::input::SourceFile;

/// One problem found in the input, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the caller named it (see [`crate::SourceFile::name`]).
    pub file: String,
    /// JSON pointer into that file (`""` is the whole document).
    pub pointer: String,
    /// 1-based line of the located node (0 when the file could not be read as JSON).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte range of the located node in the file, for rendering an excerpt.
    pub span: (usize, usize),
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{}:{}:{}: at {}: {}",
            self.file, self.line, self.column, pointer, self.message
        )
    }
}

/// All problems of one run, in input order. Generation reports every problem
/// it can find rather than stopping at the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

fn is_yaml(file: &SourceFile) -> bool {
    file.name.ends_with(".yaml") || file.name.ends_with(".yml")
}

/// Parses a file as JSON, or as YAML when its name says so.
pub(crate) fn parse(file: &SourceFile) -> Result<serde_json::Value, Diagnostic> {
    // A UTF-8 byte order mark is no part of the document (RFC 8259 §8.1 lets
    // a parser ignore it); columns of line 1 are then counted without it.
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    if is_yaml(file) {
        crate::yaml::parse(text).map_err(|(line, column, pointer, message)| Diagnostic {
            file: file.name.clone(),
            pointer,
            line,
            column,
            span: (offset_of(&file.text, line, column), 0),
            message,
        })
    } else {
        crate::strict::parse(text).map_err(|(e, refusal)| {
            let mut d = syntax(&file.name, &file.text, &e);
            if let Some((pointer, message)) = refusal {
                d.pointer = pointer;
                d.message = message;
            }
            d
        })
    }
}

/// A problem at `pointer` in `file`, not located yet: see
/// [`crate::sources::SourceMap::at`], which locates it in the file by id.
pub(crate) fn at(file: &SourceFile, pointer: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        file: file.name.clone(),
        pointer: pointer.to_owned(),
        line: 0,
        column: 0,
        span: (0, 0),
        message: message.into(),
    }
}

/// One file's structure, read once however many problems it has: every
/// node's place by JSON pointer, and where its lines start.
pub(crate) struct Locator {
    positions: Positions,
    /// Byte offset of each line's start, read at the first JSON position.
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl Locator {
    pub(crate) fn new(file: &SourceFile) -> Locator {
        Locator {
            positions: positions(file),
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// Fills in line, column and span of `d`, a diagnostic in `file`: the
    /// node at its pointer, or the deepest ancestor that exists (an overlay
    /// may have added the rest).
    pub(crate) fn locate(&self, file: &SourceFile, d: &mut Diagnostic) {
        let mut pointer = d.pointer.as_str();
        let found = loop {
            if let Some(found) = self.positions.get(pointer) {
                break Some(*found);
            }
            match pointer.rfind('/') {
                Some(i) => pointer = &pointer[..i],
                None => break None,
            }
        };
        let (offset, len, mut line, mut column) = found.unwrap_or((0, 0, 1, 1));
        // JSON positions carry offsets only: line and column are counted
        // here, for the few diagnostics, not for every node of the file
        // (on a one-line 3 MB file that was quadratic).
        if line == 0 {
            (line, column) = self.line_column(&file.text, offset);
        }
        d.span = (offset, len);
        d.line = line;
        d.column = column;
    }

    /// 1-based line and column (in characters) of the byte `offset`.
    fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let offset = offset.min(text.len());
        // The first start is 0, so at least one start is at or before it.
        let line = starts.partition_point(|&start| start <= offset).max(1);
        let start = starts.get(line - 1).copied().unwrap_or(0);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count());
        (line, column + 1)
    }
}

/// Byte offset, length, line and column of every node, by JSON pointer.
type Positions = HashMap<String, (usize, usize, usize, usize)>;

fn positions(file: &SourceFile) -> Positions {
    if is_yaml(file) {
        return crate::yaml::positions(&file.text);
    }
    let mut out = Positions::new();
    let parsed = jsonc_parser::parse_to_ast(
        &file.text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    );
    if let Ok(jsonc_parser::ParseResult {
        value: Some(root), ..
    }) = parsed
    {
        let (start, len) = range_of(&root);
        out.insert(String::new(), (start, len, 0, 0));
        json_positions(&root, String::new(), &mut out);
    }
    out
}

/// Members are placed at their key, where a reader's eye should land. Line
/// and column are left 0, for [`Locator::locate`] to count on demand.
fn json_positions(node: &jsonc_parser::ast::Value<'_>, at: String, out: &mut Positions) {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    match node {
        Value::Object(obj) => {
            for p in &obj.properties {
                let pointer = format!("{at}/{}", escape_token(p.name.as_str()));
                let r = p.name.range();
                out.insert(pointer.clone(), (r.start, r.end - r.start, 0, 0));
                json_positions(&p.value, pointer, out);
            }
        }
        Value::Array(arr) => {
            for (i, e) in arr.elements.iter().enumerate() {
                let pointer = format!("{at}/{i}");
                let (start, len) = range_of(e);
                out.insert(pointer.clone(), (start, len, 0, 0));
                json_positions(e, pointer, out);
            }
        }
        _ => {}
    }
}

fn range_of(value: &jsonc_parser::ast::Value<'_>) -> (usize, usize) {
    use jsonc_parser::common::Ranged;
    let r = value.range();
    (r.start, r.end - r.start)
}

/// A diagnostic for text that is not JSON at all, at serde_json's position.
fn syntax(file: &str, text: &str, err: &serde_json::Error) -> Diagnostic {
    let (line, column) = (err.line(), err.column());
    let offset = offset_of(text, line, column);
    let mut message = err.to_string();
    // serde_json appends " at line L column C"; we print the position ourselves.
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    Diagnostic {
        file: file.to_owned(),
        pointer: String::new(),
        line,
        column,
        span: (offset, 0),
        message: format!("invalid JSON: {}", message.to_lowercase()),
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map(|(b, _)| b)
                .unwrap_or(l.len());
            return offset + col;
        }
        offset += l.len();
    }
    text.len()
}

/// The JSON pointer of a path of (unescaped) tokens: `/a/b~1c`.
pub(crate) fn pointer_of<'a>(tokens: impl IntoIterator<Item = &'a String>) -> String {
    let mut pointer = String::new();
    for token in tokens {
        pointer.push('/');
        pointer.push_str(&escape_token(token));
    }
    pointer
}

/// Escapes one pointer token (RFC 6901); most need nothing, and are
/// borrowed (pointers are made for every node of a document).
pub(crate) fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        std::borrow::Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}
