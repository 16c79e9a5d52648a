//! YAML input (OpenAPI documents are usually YAML): converts a document to
//! `serde_json::Value` and maps a JSON pointer back to line:column, both
//! from one walk over `yaml-rust2`'s marked events.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::Yaml;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Parses a YAML document into JSON. Anchors and aliases are refused: an
/// OpenAPI document has no use for them and they would make pointers ambiguous.
/// An error's line, column, pointer and message.
pub(crate) type YamlError = (usize, usize, String, String);

pub(crate) fn parse(text: &str) -> Result<Value, YamlError> {
    let mut walk = Walk::new(false);
    let ran = run(text, &mut walk);
    // The first problem in the document comes first.
    if let Some(error) = walk.error {
        return Err(error);
    }
    ran.map_err(|(line, column, message)| {
        // yaml-rust2 can stop on its own depth limit before the walk sees
        // the depth; the same message either way.
        let message = if message.contains("recursion limit") {
            format!(
                "unsupported: nesting deeper than {} levels",
                crate::strict::MAX_DEPTH
            )
        } else {
            message
        };
        (line, column, walk.pointer(), message)
    })?;
    Ok(walk.root.unwrap_or(Value::Null))
}

/// Byte offset, length (0), line and column of every node, by JSON pointer;
/// members at their key.
pub(crate) fn positions(text: &str) -> HashMap<String, (usize, usize, usize, usize)> {
    let mut walk = Walk::new(true);
    // A document that does not parse has been reported already; keep what
    // was seen before the error.
    let _ = run(text, &mut walk);
    walk.positions
}

/// Feeds the first document's events to `walk`, stopping at its first
/// error. The events are pulled here, not pushed by `Parser::load`: `load`
/// recurses once per nesting level, so a deep enough document (100,000
/// block sequences, `- - - … a`) overflowed the stack before the walk could
/// refuse it. The parser's own state is an explicit stack.
fn run(text: &str, walk: &mut Walk) -> Result<(), (usize, usize, String)> {
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let m = e.marker();
            (m.line(), m.col() + 1, format!("invalid YAML: {}", e.info()))
        })?;
        // Only the first document counts, as with `load(…, false)`.
        let last = matches!(event, Event::DocumentEnd | Event::StreamEnd);
        walk.on_event(event, mark);
        if last || walk.error.is_some() {
            return Ok(());
        }
    }
}

enum Frame {
    /// `key` is the pending member's key and where it was written.
    Map {
        map: Map<String, Value>,
        key: Option<(String, Marker)>,
    },
    Seq(Vec<Value>),
}

struct Walk {
    stack: Vec<Frame>,
    /// Pointer tokens of the node being built.
    path: Vec<String>,
    root: Option<Value>,
    error: Option<YamlError>,
    /// Whether to record where each node is (for diagnostics).
    record: bool,
    positions: HashMap<String, (usize, usize, usize, usize)>,
}

impl Walk {
    fn new(record: bool) -> Self {
        Walk {
            stack: Vec::new(),
            path: Vec::new(),
            root: None,
            error: None,
            record,
            positions: HashMap::new(),
        }
    }

    /// A node starts at `mark`: returns false when it is a mapping key.
    fn begin(&mut self, mark: Marker, key_text: Option<&str>) -> bool {
        // A member is located at its key, as in JSON diagnostics.
        let mut mark = mark;
        let token = match self.stack.last() {
            Some(Frame::Map { key: None, .. }) => {
                if let (Some(text), Some(Frame::Map { key, .. })) =
                    (key_text, self.stack.last_mut())
                {
                    *key = Some((text.to_owned(), mark));
                } else if self.error.is_none() {
                    self.error = Some((
                        mark.line(),
                        mark.col() + 1,
                        self.pointer(),
                        "unsupported: a mapping key that is not a scalar".into(),
                    ));
                }
                return false;
            }
            Some(Frame::Map {
                key: Some((k, at)), ..
            }) => {
                mark = *at;
                Some(k.clone())
            }
            Some(Frame::Seq(items)) => Some(items.len().to_string()),
            None => None,
        };
        if let Some(token) = token {
            self.path.push(token);
        }
        if self.path.len() > crate::strict::MAX_DEPTH && self.error.is_none() {
            self.error = Some((
                mark.line(),
                mark.col() + 1,
                self.pointer(),
                format!(
                    "unsupported: nesting deeper than {} levels",
                    crate::strict::MAX_DEPTH
                ),
            ));
        }
        if self.record {
            let pointer = self.pointer();
            self.positions
                .insert(pointer, (mark.index(), 0, mark.line(), mark.col() + 1));
        }
        true
    }

    fn pointer(&self) -> String {
        crate::diagnostic::pointer_of(self.path.iter())
    }

    fn finish(&mut self, value: Value) {
        // The node's own pointer, made only for an error (this runs for
        // every node of the document).
        let duplicate = match self.stack.last() {
            Some(Frame::Map {
                map,
                key: Some((k, at)),
            }) if map.contains_key(k) && self.error.is_none() => Some((
                at.line(),
                at.col() + 1,
                self.pointer(),
                format!("duplicate key {k:?}: which value counts would be a guess"),
            )),
            _ => None,
        };
        if !self.stack.is_empty() {
            self.path.pop();
        }
        match self.stack.last_mut() {
            Some(Frame::Map { map, key }) => {
                if let Some((k, _)) = key.take() {
                    // serde_yaml would keep the last; which one the author
                    // meant is a guess, so it is an error as in JSON.
                    if duplicate.is_some() {
                        self.error = duplicate;
                    }
                    map.insert(k, value);
                }
            }
            Some(Frame::Seq(items)) => items.push(value),
            None => self.root = Some(value),
        }
    }
}

impl MarkedEventReceiver for Walk {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, style, _, _) if self.begin(mark, Some(&text)) => {
                self.finish(scalar(text, style));
            }
            Event::SequenceStart(..) => {
                self.begin(mark, None);
                self.stack.push(Frame::Seq(Vec::new()));
            }
            Event::MappingStart(..) => {
                self.begin(mark, None);
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let value = match self.stack.pop() {
                    Some(Frame::Seq(items)) => Value::Array(items),
                    Some(Frame::Map { map, .. }) => Value::Object(map),
                    None => Value::Null,
                };
                self.finish(value);
            }
            Event::Alias(_) => {
                if self.error.is_none() {
                    self.error = Some((
                        mark.line(),
                        mark.col() + 1,
                        self.pointer(),
                        "unsupported: YAML aliases".into(),
                    ));
                }
                if self.begin(mark, Some("")) {
                    self.finish(Value::Null);
                }
            }
            _ => {}
        }
    }
}

/// Plain scalars are typed the YAML 1.2 core way; quoted ones are strings.
fn scalar(text: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    match Yaml::from_str(&text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(r) => r
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::String(text), Value::Number),
        _ => Value::String(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_yaml_to_json() {
        let text = "a:\n  b: [1, 2.5, 'x', true, ~]\n  c:\n    - d: e\n";
        let value = parse(text).expect("valid");
        assert_eq!(
            value,
            serde_json::json!({ "a": { "b": [1, 2.5, "x", true, null], "c": [{ "d": "e" }] } })
        );
    }

    #[test]
    fn very_deep_documents_are_an_error_not_an_overflow() {
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse(&deep).expect_err("too deep");
        assert_eq!(err.3, "unsupported: nesting deeper than 64 levels");
        let moderate = format!("{}1{}", "[".repeat(70), "]".repeat(70));
        let err = parse(&moderate).expect_err("too deep");
        assert_eq!(err.3, "unsupported: nesting deeper than 64 levels");
        assert_eq!(err.2.matches('/').count(), 65, "{}", err.2);
    }

    #[test]
    fn deep_block_sequences_are_an_error_not_an_overflow() {
        // `- - - … a`: 100,000 block sequences in 200 KB (aborted the
        // process before the walk pulled the events itself).
        let deep = format!("{}a\n", "- ".repeat(100_000));
        let err = parse(&deep).expect_err("too deep");
        assert_eq!(err.3, "unsupported: nesting deeper than 64 levels");
        assert_eq!(err.2.matches('/').count(), 65, "{}", err.2);
        // Block mappings, one level a line.
        let deep_maps = (0..1_000)
            .map(|depth| format!("{}k:", " ".repeat(depth)))
            .collect::<Vec<_>>()
            .join("\n");
        let err = parse(&deep_maps).expect_err("too deep");
        assert_eq!(err.3, "unsupported: nesting deeper than 64 levels");
        // Positions stop at the node that is too deep: the root and 65 levels.
        assert_eq!(positions(&deep).len(), 66);
    }

    #[test]
    fn only_the_first_document_is_read() {
        let value = parse("a: 1\n---\nb: 2\n").expect("valid");
        assert_eq!(value, serde_json::json!({ "a": 1 }));
    }

    #[test]
    fn records_positions_by_pointer() {
        let text = "a:\n  b: [1, 2]\n  c:\n    - d: e\n";
        let at = positions(text);
        let line_col = |p: &str| at.get(p).map(|&(_, _, l, c)| (l, c));
        // Members at their key, items at themselves.
        assert_eq!(line_col("/a/c/0/d"), Some((4, 7)));
        assert_eq!(line_col("/a/b/1"), Some((2, 10)));
        assert_eq!(line_col("/a/b"), Some((2, 3)));
    }
}
