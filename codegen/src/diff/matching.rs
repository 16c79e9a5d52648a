//! Which old schema is which new one. A schema of the same name is itself;
//! a renamed one is recognised (1) where something both versions have points
//! at it (an operation's body, response or parameter, a property of a
//! matched schema, `items`…), both names existing on one side only, or
//! (2) failing that, by its shape (documentation left out, references
//! followed through the renames found so far) when exactly one removed and
//! one added schema have it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::index::Side;
use crate::load::ref_target;

/// Keywords that only document; shapes are compared without them.
pub(super) const DOCS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "x-code-samples",
    "summary",
    "externalDocs",
    "tags",
    "$comment",
    "deprecated",
];

pub(super) struct Matches {
    /// Old name → new name, for every schema of the old side that has one.
    pub old_to_new: BTreeMap<String, String>,
    /// The reverse.
    pub new_to_old: BTreeMap<String, String>,
}

impl Matches {
    pub fn new(old: &Side<'_>, new: &Side<'_>) -> Matches {
        let mut m = Matches {
            old_to_new: BTreeMap::new(),
            new_to_old: BTreeMap::new(),
        };
        for name in old.schemas.keys() {
            if new.schemas.contains_key(name) {
                m.pair(name, name);
            }
        }
        let mut pending: Vec<(&Value, &Value)> = Vec::new();
        for (key, op) in &old.operations {
            let Some(other) = new.operations.get(key) else {
                continue;
            };
            pending.extend(op.body.zip(other.body));
            pending.extend(op.response.zip(other.response));
            for (param, schema) in &op.params {
                if let Some(theirs) = other.params.get(param) {
                    pending.push((&schema["schema"], &theirs["schema"]));
                }
            }
        }
        // Components of one name are walked too: their properties may
        // point at renamed ones.
        for (name, schema) in &old.schemas {
            if let Some(theirs) = new.schemas.get(name) {
                pending.push((schema, theirs));
            }
        }
        m.walk(old, new, pending);
        m.by_shape(old, new);
        m
    }

    fn pair(&mut self, old: &str, new: &str) {
        self.old_to_new.insert(old.to_owned(), new.to_owned());
        self.new_to_old.insert(new.to_owned(), old.to_owned());
    }

    /// Pairs the references found at the same place of two schemas, and
    /// walks into each newly paired one.
    fn walk<'a>(
        &mut self,
        old: &Side<'a>,
        new: &Side<'a>,
        mut pending: Vec<(&'a Value, &'a Value)>,
    ) {
        while let Some((a, b)) = pending.pop() {
            let (Value::Object(a), Value::Object(b)) = (a, b) else {
                continue;
            };
            let targets = (
                a.get("$ref").and_then(Value::as_str).and_then(ref_target),
                b.get("$ref").and_then(Value::as_str).and_then(ref_target),
            );
            if let (Some(x), Some(y)) = targets {
                let free = !self.old_to_new.contains_key(x) && !self.new_to_old.contains_key(y);
                if let (true, Some(sx), Some(sy)) = (free, old.schemas.get(x), new.schemas.get(y)) {
                    self.pair(x, y);
                    pending.push((sx, sy));
                }
                continue;
            }
            for key in ["items", "additionalProperties"] {
                if let (Some(x), Some(y)) = (a.get(key), b.get(key)) {
                    pending.push((x, y));
                }
            }
            if let (Some(Value::Object(x)), Some(Value::Object(y))) =
                (a.get("properties"), b.get("properties"))
            {
                for (name, x) in x {
                    if let Some(y) = y.get(name) {
                        pending.push((x, y));
                    }
                }
            }
        }
    }

    /// Pairs removed and added schemas of one shape, while that finds any.
    fn by_shape<'a>(&mut self, old: &Side<'a>, new: &Side<'a>) {
        loop {
            let mut removed: BTreeMap<String, Vec<&str>> = BTreeMap::new();
            for (name, schema) in &old.schemas {
                if !self.old_to_new.contains_key(*name) {
                    let shape = shape(schema, Some(&self.old_to_new));
                    removed.entry(shape).or_default().push(name);
                }
            }
            let mut added: BTreeMap<String, Vec<&str>> = BTreeMap::new();
            for (name, schema) in &new.schemas {
                if !self.new_to_old.contains_key(*name) {
                    added.entry(shape(schema, None)).or_default().push(name);
                }
            }
            let mut found = Vec::new();
            for (shape, olds) in &removed {
                if let Some(news) = added.get(shape) {
                    found.extend(closest(olds, news));
                }
            }
            if found.is_empty() {
                return;
            }
            let mut pending = Vec::new();
            for (a, b) in found {
                self.pair(a, b);
                pending.extend(old.schemas.get(a).copied().zip(new.schemas.get(b).copied()));
            }
            // What the newly paired schemas point at is paired by place.
            self.walk(old, new, pending);
        }
    }
}

/// Pairs of one shape whose names are each other's closest: the longest
/// common ending (`api_multitenant_otp_v1_X` is `api_b2b_otp_v1_X`, not
/// `api_b2b_password_v1_X`), unique on both sides. One of each pairs.
fn closest<'n>(olds: &[&'n str], news: &[&'n str]) -> Vec<(&'n str, &'n str)> {
    fn common(a: &str, b: &str) -> usize {
        a.bytes()
            .rev()
            .zip(b.bytes().rev())
            .take_while(|(x, y)| x == y)
            .count()
    }
    /// The unique candidate with the longest common ending.
    fn best<'n>(name: &str, candidates: &[&'n str]) -> Option<&'n str> {
        let score = |c: &&str| common(name, c);
        let top = candidates.iter().map(score).max()?;
        let mut at_top = candidates.iter().filter(|c| score(c) == top);
        let first = at_top.next()?;
        at_top.next().is_none().then_some(*first)
    }
    olds.iter()
        .filter_map(|old| {
            let new = best(old, news)?;
            (best(new, olds) == Some(*old)).then_some((*old, new))
        })
        .collect()
}

/// The schema without its documentation, references renamed through
/// `renames` (old side) or kept (new side), as canonical text.
fn shape(schema: &Value, renames: Option<&BTreeMap<String, String>>) -> String {
    // `preserve_order` keeps the written order; shapes ignore it.
    let mut stripped = strip(schema, renames, true);
    sort_keys(&mut stripped);
    stripped.to_string()
}

/// `keywords`: the object's keys are schema keywords (not the names of
/// `properties`, which may well be `description`).
fn strip(value: &Value, renames: Option<&BTreeMap<String, String>>, keywords: bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !keywords || !DOCS.contains(&k.as_str()))
                .map(|(k, v)| {
                    let renamed = (keywords && k == "$ref")
                        .then(|| v.as_str().and_then(ref_target))
                        .flatten()
                        .and_then(|t| renames?.get(t))
                        .map(|t| Value::String(format!("#/components/schemas/{t}")));
                    let inner = !(keywords && k == "properties");
                    (
                        k.clone(),
                        renamed.unwrap_or_else(|| strip(v, renames, inner)),
                    )
                })
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| strip(v, renames, keywords)).collect())
        }
        other => other.clone(),
    }
}

fn sort_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}
