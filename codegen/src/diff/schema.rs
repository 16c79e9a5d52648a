//! The rules for one schema against its counterpart: documentation, type,
//! reference, format, enum, bounds, pattern, properties and their
//! requiredness, items. Each change is classified by where the schema is
//! read: a request (callers send it; a tighter rule refuses them) or a
//! response (the old types decode it; a looser rule is what they refuse).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::index::Side;
use super::matching::{DOCS, Matches};
use super::{Change, Impact, Prose};
use crate::diagnostic::escape_token;
use crate::load::ref_target;
use crate::naming;

/// Where the schema is read, on either side.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dir {
    pub request: bool,
    pub response: bool,
    /// The old enum had no `Unknown` variant: only requests reached it.
    pub old_closed: bool,
}

impl Dir {
    fn any(self) -> bool {
        self.request || self.response
    }

    /// The wire impact of a rule that now accepts fewer values.
    fn tighter(self) -> Impact {
        Impact::breaking_if(self.request)
    }

    /// The wire impact of a rule that now accepts more values.
    fn looser(self) -> Impact {
        Impact::breaking_if(self.response)
    }

    fn changed(self) -> Impact {
        Impact::breaking_if(self.any())
    }
}

/// Where a node is: for the change's location and message.
#[derive(Debug, Clone)]
pub(super) struct At {
    pub operation: Option<String>,
    pub rust: Option<String>,
    /// Pointer of the node in the new document.
    pub pointer: String,
    /// The dotted path to the node from its type (`devices[].id`), `""` at
    /// the type itself.
    pub field: String,
    /// At an operation's body or response: a reference to an unrelated
    /// schema is compared by content (it is a different Rust type, but may
    /// be the same on the wire).
    pub follow: bool,
}

impl At {
    fn child(&self, token: &str, field: &str) -> At {
        At {
            operation: self.operation.clone(),
            rust: self.rust.clone(),
            pointer: format!("{}/{}", self.pointer, escape_token(token)),
            field: field.to_owned(),
            follow: false,
        }
    }
}

pub(super) struct Cx<'s, 'a> {
    pub old: &'s Side<'a>,
    pub new: &'s Side<'a>,
    pub matches: &'s Matches,
    pub out: &'s mut Vec<Change>,
}

/// Bounds whose larger value accepts fewer instances.
const LOWER_BOUNDS: &[&str] = &["minimum", "exclusiveMinimum", "minLength", "minItems"];
/// Bounds whose smaller value accepts fewer instances.
const UPPER_BOUNDS: &[&str] = &["maximum", "exclusiveMaximum", "maxLength", "maxItems"];

/// Keywords [`Cx::node`] compares by a rule of their own.
const RULED: &[&str] = &[
    "$ref",
    "type",
    "format",
    "enum",
    "pattern",
    "properties",
    "required",
    "items",
    "additionalProperties",
];

/// Every pair of matched components (renames included), every removed and
/// every added one.
pub(super) fn compare_components(
    old: &Side<'_>,
    new: &Side<'_>,
    matches: &Matches,
    out: &mut Vec<Change>,
) {
    let mut cx = Cx {
        old,
        new,
        matches,
        out,
    };
    for (name, schema) in &old.schemas {
        let pointer = format!("/components/schemas/{}", escape_token(name));
        let Some(theirs) = matches.old_to_new.get(*name) else {
            cx.push(
                &at_type(old, name, pointer),
                Impact::None,
                Impact::Breaking,
                format!("type removed (schema `{name}`)"),
            );
            continue;
        };
        let Some(their_schema) = new.schemas.get(theirs.as_str()) else {
            continue;
        };
        let at = at_type(
            new,
            theirs,
            format!("/components/schemas/{}", escape_token(theirs)),
        );
        let (was, is) = (old.rust_path(name), new.rust_path(theirs));
        if was != is {
            let message = format!("type `{was}` renamed to `{is}` (schema `{name}` → `{theirs}`)");
            cx.push(&at, Impact::None, Impact::Breaking, message);
        }
        let dir = Dir {
            request: old.requests.contains(*name) || new.requests.contains(theirs.as_str()),
            response: old.responses.contains(*name) || new.responses.contains(theirs.as_str()),
            old_closed: old.requests.contains(*name) && !old.responses.contains(*name),
        };
        cx.node(schema, their_schema, dir, &at);
    }
    for name in new.schemas.keys() {
        if !matches.new_to_old.contains_key(*name) {
            let at = at_type(
                new,
                name,
                format!("/components/schemas/{}", escape_token(name)),
            );
            cx.push(
                &at,
                Impact::None,
                Impact::Additive,
                format!("type added (schema `{name}`)"),
            );
        }
    }
}

fn at_type(side: &Side<'_>, name: &str, pointer: String) -> At {
    At {
        operation: None,
        rust: Some(side.rust_path(name)),
        pointer,
        field: String::new(),
        follow: false,
    }
}

impl Side<'_> {
    /// The Rust path of a component, by the generator's naming rule for
    /// this side's document; the component name when the rule gives none.
    pub(super) fn rust_path(&self, component: &str) -> String {
        self.names
            .type_path(component)
            .map(|p| p.display())
            .unwrap_or_else(|_| component.to_owned())
    }
}

fn reference(schema: &Map<String, Value>) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(ref_target)
}

/// `"string"`, `"[string, null]"`, `"any"`.
fn type_name(schema: &Map<String, Value>) -> String {
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(other) => other.to_string(),
        None if schema.contains_key("properties") => "object".to_owned(),
        None => "any".to_owned(),
    }
}

impl Cx<'_, '_> {
    pub(super) fn push(&mut self, at: &At, wire: Impact, api: Impact, message: String) {
        self.push_with(at, wire, api, message, None);
    }

    /// A documentation change, with the prose that changed.
    pub(super) fn push_docs(&mut self, at: &At, message: String, prose: Option<Prose>) {
        self.push_with(at, Impact::None, Impact::None, message, prose);
    }

    fn push_with(
        &mut self,
        at: &At,
        wire: Impact,
        api: Impact,
        message: String,
        prose: Option<Prose>,
    ) {
        let message = if at.field.is_empty() {
            message
        } else {
            format!("`{}`: {message}", at.field)
        };
        self.out.push(Change {
            wire,
            api,
            operation: at.operation.clone(),
            rust: at.rust.clone(),
            pointer: at.pointer.clone(),
            message,
            acknowledged: false,
            prose,
        });
    }

    pub(super) fn node(&mut self, old: &Value, new: &Value, dir: Dir, at: &At) {
        let empty = Map::new();
        let a = old.as_object().unwrap_or(&empty);
        let b = new.as_object().unwrap_or(&empty);
        self.docs(a, b, at);
        match (reference(a), reference(b)) {
            (None, None) => {}
            (Some(x), Some(y)) => {
                if self.matches.old_to_new.get(x).map(String::as_str) == Some(y) {
                    return;
                }
                let message = format!(
                    "type changed from `{}` to `{}`",
                    self.old.rust_path(x),
                    self.new.rust_path(y)
                );
                let (sx, sy) = (self.old.schemas.get(x), self.new.schemas.get(y));
                match (at.follow, sx, sy) {
                    (true, Some(sx), Some(sy)) => {
                        self.push(at, Impact::None, Impact::Breaking, message);
                        let inner = At {
                            follow: false,
                            ..at.clone()
                        };
                        self.node(sx, sy, dir, &inner);
                    }
                    _ => self.push(at, dir.changed(), Impact::Breaking, message),
                }
                return;
            }
            (x, y) => {
                let (old, new) = (self.old, self.new);
                let was = x.map_or(type_name(a), |r| old.rust_path(r));
                let is = y.map_or(type_name(b), |r| new.rust_path(r));
                let message = format!("type changed from `{was}` to `{is}`");
                self.push(at, dir.changed(), Impact::Breaking, message);
                return;
            }
        }
        let (ta, tb) = (type_name(a), type_name(b));
        if ta != tb {
            let message = format!("type changed from {ta} to {tb}");
            self.push(at, dir.changed(), Impact::Breaking, message);
            return;
        }
        self.format(a, b, dir, at);
        self.enumeration(a, b, dir, at);
        self.bounds(a, b, dir, at);
        self.properties(a, b, dir, at);
        for (key, suffix) in [("items", "[]"), ("additionalProperties", "{}")] {
            match (a.get(key), b.get(key)) {
                (Some(x @ Value::Object(_)), Some(y @ Value::Object(_))) => {
                    let field = format!("{}{suffix}", at.field);
                    self.node(x, y, dir, &at.child(key, &field));
                }
                (x, y) if x != y => self.other(key, dir, at),
                _ => {}
            }
        }
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for key in keys {
            let ruled = RULED.contains(&key.as_str())
                || DOCS.contains(&key.as_str())
                || LOWER_BOUNDS.contains(&key.as_str())
                || UPPER_BOUNDS.contains(&key.as_str())
                || key.starts_with("x-");
            if !ruled && a.get(key) != b.get(key) {
                self.other(key, dir, at);
            }
        }
    }

    /// A keyword without a rule of its own: any change may break either
    /// concern.
    fn other(&mut self, key: &str, dir: Dir, at: &At) {
        self.push(
            at,
            dir.changed(),
            Impact::Breaking,
            format!("`{key}` changed"),
        );
    }

    fn docs(&mut self, a: &Map<String, Value>, b: &Map<String, Value>, at: &At) {
        let changed: Vec<&str> = DOCS
            .iter()
            .copied()
            .filter(|k| a.get(*k) != b.get(*k))
            .collect();
        if !changed.is_empty() {
            let message = format!("{} changed", changed.join(", "));
            self.push_docs(at, message, Prose::between(a, b));
        }
    }

    fn format(&mut self, a: &Map<String, Value>, b: &Map<String, Value>, dir: Dir, at: &At) {
        let (x, y) = (a.get("format"), b.get("format"));
        if x == y {
            return;
        }
        let show = |f: Option<&Value>| f.map_or("none".to_owned(), Value::to_string);
        let message = format!("format changed from {} to {}", show(x), show(y));
        // Integer and number formats choose the Rust type (i32/i64, f32/f64).
        let numeric = matches!(type_name(b).as_str(), "integer" | "number");
        let api = if numeric {
            Impact::Breaking
        } else {
            Impact::None
        };
        let wire = match (x, y) {
            (None, Some(_)) => dir.tighter(),
            (Some(_), None) => dir.looser(),
            _ => dir.changed(),
        };
        self.push(at, wire, api, message);
    }

    fn enumeration(&mut self, a: &Map<String, Value>, b: &Map<String, Value>, dir: Dir, at: &At) {
        let values = |m: &Map<String, Value>| -> Option<Vec<String>> {
            let list = m.get("enum")?.as_array()?;
            Some(list.iter().map(Value::to_string).collect())
        };
        match (values(a), values(b)) {
            (None, None) => {}
            (None, Some(_)) => {
                let message = "now an enum (was any value)".to_owned();
                self.push(at, dir.tighter(), Impact::Breaking, message);
            }
            (Some(_), None) => {
                let message = "no longer an enum (now any value)".to_owned();
                let wire =
                    Impact::breaking_if(dir.response && dir.old_closed).max(Impact::Additive);
                self.push(at, wire, Impact::Breaking, message);
            }
            (Some(x), Some(y)) => {
                for value in x.iter().filter(|v| !y.contains(v)) {
                    // Callers may send it; responses no longer carry it.
                    let message = format!("enum value {value} removed (its variant too)");
                    self.push(at, dir.tighter(), Impact::Breaking, message);
                }
                for value in y.iter().filter(|v| !x.contains(v)) {
                    // An open enum keeps it in `Unknown`; a closed one refuses
                    // it. Either way an exhaustive `match` stops compiling.
                    let message = format!("enum value {value} added (a new variant)");
                    let wire = Impact::breaking_if(dir.response && dir.old_closed);
                    self.push(at, wire, Impact::Breaking, message);
                }
            }
        }
    }

    fn bounds(&mut self, a: &Map<String, Value>, b: &Map<String, Value>, dir: Dir, at: &At) {
        for (keys, lower) in [(LOWER_BOUNDS, true), (UPPER_BOUNDS, false)] {
            for key in keys.iter().copied() {
                let (x, y) = (a.get(key), b.get(key));
                if x == y {
                    continue;
                }
                let tighter = match (x.and_then(Value::as_f64), y.and_then(Value::as_f64)) {
                    (None, Some(_)) => Some(true),
                    (Some(_), None) => Some(false),
                    (Some(x), Some(y)) => Some((y > x) == lower),
                    // OpenAPI 3.0's boolean `exclusiveMinimum`, or no number.
                    (None, None) => None,
                };
                let show = |v: Option<&Value>| v.map_or("none".to_owned(), Value::to_string);
                let message = format!("`{key}` changed from {} to {}", show(x), show(y));
                let wire = match tighter {
                    Some(true) => dir.tighter(),
                    Some(false) => dir.looser(),
                    None => dir.changed(),
                };
                self.push(at, wire, Impact::None, message);
            }
        }
        let (x, y) = (a.get("pattern"), b.get("pattern"));
        if x != y {
            let wire = match (x, y) {
                (None, Some(_)) => dir.tighter(),
                (Some(_), None) => dir.looser(),
                _ => dir.changed(),
            };
            self.push(at, wire, Impact::None, "`pattern` changed".to_owned());
        }
    }

    fn properties(&mut self, a: &Map<String, Value>, b: &Map<String, Value>, dir: Dir, at: &At) {
        let empty = Map::new();
        let pa = a
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let pb = b
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let (ra, rb) = (required(a), required(b));
        let (na, nb) = (rust_names(pa), rust_names(pb));
        let field = |name: &str| {
            if at.field.is_empty() {
                name.to_owned()
            } else {
                format!("{}.{name}", at.field)
            }
        };
        for (name, schema) in pa {
            let Some(theirs) = pb.get(name) else {
                let message = format!("`{}`: field removed", field(name));
                // Callers may send it; old types need it when it was required.
                let breaks = dir.request || (dir.response && ra.contains(name));
                let wire = if breaks {
                    Impact::Breaking
                } else {
                    Impact::None
                };
                let at = At {
                    field: String::new(),
                    ..at.clone()
                };
                self.push(&at, wire, Impact::Breaking, message);
                continue;
            };
            let child = at.child("properties", "").child(name, &field(name));
            if na.get(name) != nb.get(name) {
                let message = format!(
                    "Rust field renamed from `{}` to `{}`",
                    na.get(name).map_or("", String::as_str),
                    nb.get(name).map_or("", String::as_str)
                );
                self.push(&child, Impact::None, Impact::Breaking, message);
            }
            self.required_changed(ra.contains(name), rb.contains(name), dir, &child);
            self.node(schema, theirs, dir, &child);
        }
        for name in pb.keys().filter(|n| !pa.contains_key(*n)) {
            let child = at.child("properties", "").child(name, "");
            if rb.contains(name) {
                let message = format!("`{}`: required field added", field(name));
                self.push(&child, dir.tighter(), Impact::Breaking, message);
            } else {
                let message = format!("`{}`: optional field added", field(name));
                self.push(&child, Impact::Additive, Impact::Additive, message);
            }
        }
    }

    /// A kept property that became required (`was` false, `is` true) or
    /// optional.
    fn required_changed(&mut self, was: bool, is: bool, dir: Dir, child: &At) {
        match (was, is) {
            (false, true) => {
                // The accessor loses its `Option`; builders need it.
                let message = "now required".to_owned();
                let wire = if dir.request {
                    Impact::Breaking
                } else {
                    Impact::None
                };
                self.push(child, wire, Impact::Breaking, message);
            }
            (true, false) => {
                // The accessor gains an `Option`; old types refuse its
                // absence.
                let message = "no longer required".to_owned();
                let wire = if dir.response {
                    Impact::Breaking
                } else {
                    Impact::Additive
                };
                self.push(child, wire, Impact::Breaking, message);
            }
            _ => {}
        }
    }
}

/// The names a schema's `required` lists.
fn required(m: &Map<String, Value>) -> BTreeSet<String> {
    m.get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Each property's Rust field name, by JSON name.
fn rust_names(properties: &Map<String, Value>) -> std::collections::BTreeMap<String, String> {
    let json: Vec<&str> = properties.keys().map(String::as_str).collect();
    let names = naming::field_names(&json);
    json.into_iter()
        .zip(names)
        .map(|(j, (r, _))| (j.to_owned(), r))
        .collect()
}
