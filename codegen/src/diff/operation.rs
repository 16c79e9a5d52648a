//! The rules for operations: removed, added, renamed in the client, moved to
//! other servers; their parameters, body and response.

use serde_json::Value;

use super::index::{Operation, Side};
use super::matching::{DOCS, Matches};
use super::schema::{At, Cx, Dir};
use super::{Change, Impact, Prose};
use crate::diagnostic::escape_token;

pub(super) fn compare(old: &Side<'_>, new: &Side<'_>, matches: &Matches, out: &mut Vec<Change>) {
    let mut cx = Cx {
        old,
        new,
        matches,
        out,
    };
    for (key, op) in &old.operations {
        match new.operations.get(key) {
            Some(theirs) => cx.operation(op, theirs),
            None => {
                let at = at(op);
                cx.push(
                    &at,
                    Impact::Breaking,
                    Impact::Breaking,
                    "operation removed".to_owned(),
                );
            }
        }
    }
    for (key, op) in &new.operations {
        if !old.operations.contains_key(key) {
            let at = at(op);
            cx.push(
                &at,
                Impact::Additive,
                Impact::Additive,
                "operation added".to_owned(),
            );
        }
    }
}

fn at(op: &Operation<'_>) -> At {
    At {
        operation: Some(op.name.clone()),
        rust: op.chain.clone(),
        pointer: op.pointer.clone(),
        field: String::new(),
        follow: false,
    }
}

const REQUEST: Dir = Dir {
    request: true,
    response: false,
    old_closed: true,
};

const RESPONSE: Dir = Dir {
    request: false,
    response: true,
    old_closed: false,
};

impl Cx<'_, '_> {
    fn operation(&mut self, old: &Operation<'_>, new: &Operation<'_>) {
        let here = at(new);
        if old.name != new.name {
            let message = format!("path parameters renamed (was `{}`)", old.name);
            self.push(&here, Impact::None, Impact::None, message);
        }
        match (&old.chain, &new.chain) {
            (Some(a), Some(b)) if a != b => {
                let message = format!("client method `{a}` renamed to `{b}`");
                self.push(&here, Impact::None, Impact::Breaking, message);
            }
            (Some(a), None) => {
                let message = format!("client method `{a}` has no name any more (operationId)");
                self.push(&here, Impact::None, Impact::Breaking, message);
            }
            _ => {}
        }
        let mut docs: Vec<&str> = DOCS
            .iter()
            .copied()
            .filter(|k| old.value.get(*k) != new.value.get(*k))
            .collect();
        if old.value.get("operationId") != new.value.get("operationId") {
            docs.push("operationId");
        }
        // Error responses and examples: the generator reads only the
        // success schema, compared below.
        let responses = |op: &Operation<'_>| op.value.get("responses").map(without_schemas);
        if responses(old) != responses(new) {
            docs.push("responses (examples, error responses)");
        }
        if !docs.is_empty() {
            let message = format!("{} changed", docs.join(", "));
            self.push_docs(&here, message, Prose::between(old.value, new.value));
        }
        if old.value.get("servers") != new.value.get("servers") {
            let message = "servers changed".to_owned();
            self.push(&here, Impact::Breaking, Impact::None, message);
        }
        self.parameters(old, new, &here);
        self.body(old, new, &here);
        match (old.response, new.response) {
            (Some(a), Some(b)) => {
                let at = At {
                    pointer: format!("{}/responses", here.pointer),
                    field: "response".to_owned(),
                    follow: true,
                    ..here.clone()
                };
                self.node(a, b, RESPONSE, &at);
            }
            (None, Some(_)) => {
                let message = "now has a JSON response".to_owned();
                self.push(&here, Impact::Additive, Impact::Breaking, message);
            }
            (Some(_), None) => {
                let message = "no longer has a JSON response".to_owned();
                self.push(&here, Impact::Breaking, Impact::Breaking, message);
            }
            (None, None) => {}
        }
    }

    fn parameters(&mut self, old: &Operation<'_>, new: &Operation<'_>, here: &At) {
        let required = |p: &serde_json::Map<String, Value>| {
            p.get("required").and_then(Value::as_bool).unwrap_or(false)
        };
        for (key, param) in &old.params {
            let (place, name) = key;
            let Some(theirs) = new.params.get(key) else {
                let message = format!("{place} parameter `{name}` removed");
                self.push(here, Impact::Breaking, Impact::Breaking, message);
                continue;
            };
            let at = At {
                pointer: format!("{}/parameters/{}", here.pointer, escape_token(name)),
                field: format!("{place} parameter {name}"),
                ..here.clone()
            };
            match (required(param), required(theirs)) {
                (false, true) => {
                    // An optional setter becomes an argument.
                    let message = "now required".to_owned();
                    self.push(&at, Impact::Breaking, Impact::Breaking, message);
                }
                (true, false) => {
                    // An argument becomes an optional setter.
                    let message = "no longer required".to_owned();
                    self.push(&at, Impact::Additive, Impact::Breaking, message);
                }
                _ => {}
            }
            let none = Value::Null;
            let (a, b) = (param.get("schema"), theirs.get("schema"));
            self.node(a.unwrap_or(&none), b.unwrap_or(&none), REQUEST, &at);
            let docs = |p: &serde_json::Map<String, Value>| p.get("description").cloned();
            if docs(param) != docs(theirs) {
                let message = "description changed".to_owned();
                self.push_docs(&at, message, Prose::between(param, theirs));
            }
        }
        for ((place, name), param) in &new.params {
            if old.params.contains_key(&(place.clone(), name.clone())) {
                continue;
            }
            if required(param) {
                let message = format!("required {place} parameter `{name}` added");
                self.push(here, Impact::Breaking, Impact::Breaking, message);
            } else {
                let message = format!("optional {place} parameter `{name}` added");
                self.push(here, Impact::Additive, Impact::Additive, message);
            }
        }
    }

    fn body(&mut self, old: &Operation<'_>, new: &Operation<'_>, here: &At) {
        match (old.body, new.body) {
            (Some(a), Some(b)) => {
                let at = At {
                    pointer: format!("{}/requestBody", here.pointer),
                    field: "body".to_owned(),
                    follow: true,
                    ..here.clone()
                };
                self.node(a, b, REQUEST, &at);
                if !old.body_required && new.body_required {
                    let message = "request body now required".to_owned();
                    self.push(&at, Impact::Breaking, Impact::None, message);
                }
            }
            (None, Some(_)) => {
                let message = "request body added".to_owned();
                let wire = Impact::breaking_if(new.body_required);
                self.push(here, wire, Impact::Breaking, message);
            }
            (Some(_), None) => {
                let message = "request body removed".to_owned();
                self.push(here, Impact::Breaking, Impact::Breaking, message);
            }
            (None, None) => {}
        }
    }
}

/// `responses` with each media type's `schema` left out.
fn without_schemas(responses: &Value) -> Value {
    let mut value = responses.clone();
    let media = value
        .as_object_mut()
        .into_iter()
        .flat_map(|codes| codes.values_mut())
        .filter_map(|response| response.get_mut("content")?.as_object_mut())
        .flat_map(|content| content.values_mut())
        .filter_map(Value::as_object_mut);
    for media in media {
        media.remove("schema");
    }
    value
}
