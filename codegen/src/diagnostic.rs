//! Errors that point into the input: file, JSON pointer, line and column.

use std::fmt;

use crate::SourceFile;

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
    if is_yaml(file) {
        crate::yaml::parse(&file.text).map_err(|(line, column, message)| Diagnostic {
            file: file.name.clone(),
            pointer: String::new(),
            line,
            column,
            span: (offset_of(&file.text, line, column), 0),
            message,
        })
    } else {
        serde_json::from_str(&file.text).map_err(|e| syntax(&file.name, &file.text, &e))
    }
}

/// Builds a diagnostic for `pointer` in `file`, locating the deepest node of
/// the pointer that exists (an overlay may have added the rest).
pub(crate) fn at(file: &SourceFile, pointer: &str, message: impl Into<String>) -> Diagnostic {
    let text = &file.text;
    let (span, (line, column)) = if is_yaml(file) {
        match crate::yaml::locate(text, pointer) {
            Some((offset, line, column)) => ((offset, 0), (line, column)),
            None => ((0, 0), (1, 1)),
        }
    } else {
        let span = locate(text, pointer).unwrap_or((0, 0));
        (span, line_column(text, span.0))
    };
    Diagnostic {
        file: file.name.clone(),
        pointer: pointer.to_owned(),
        line,
        column,
        span,
        message: message.into(),
    }
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

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

/// Splits a JSON pointer into unescaped tokens (RFC 6901).
pub(crate) fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}

/// Escapes one pointer token (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Finds the byte range of the node at `pointer`, or of its deepest existing
/// ancestor. For an object member the range covers the member's key, which is
/// where a reader's eye should land.
fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    use jsonc_parser::ast::Value;
    use jsonc_parser::common::Ranged;
    let parsed = jsonc_parser::parse_to_ast(
        text,
        &jsonc_parser::CollectOptions::default(),
        &jsonc_parser::ParseOptions::default(),
    )
    .ok()?;
    let mut node = parsed.value.as_ref()?;
    let whole = node.range();
    let mut span = (whole.start, whole.end - whole.start);
    for token in pointer_tokens(pointer) {
        let next = match node {
            Value::Object(obj) => obj
                .properties
                .iter()
                .find(|p| p.name.as_str() == token)
                .map(|p| {
                    let r = p.name.range();
                    (r.start, r.end - r.start, &p.value)
                }),
            Value::Array(arr) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| arr.elements.get(i))
                .map(|e| {
                    let r = e.range();
                    (r.start, r.end - r.start, e)
                }),
            _ => None,
        };
        match next {
            Some((start, len, value)) => {
                span = (start, len);
                node = value;
            }
            None => break,
        }
    }
    Some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            name: "f.json".into(),
            text: text.into(),
        }
    }

    #[test]
    fn locates_nested_member_key() {
        let text = "{\n  \"a\": {\n    \"b/c\": [1, 2]\n  }\n}";
        let d = at(&file(text), "/a/b~1c/1", "boom");
        assert_eq!((d.line, d.column), (3, 16));
    }

    #[test]
    fn falls_back_to_deepest_existing_node() {
        let text = "{\n  \"a\": {}\n}";
        let d = at(&file(text), "/a/missing", "boom");
        assert_eq!((d.line, d.column), (2, 3));
    }
}
