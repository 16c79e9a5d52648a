//! OpenAPI Overlay 1.0: JSONPath `target` plus `update` or `remove` actions,
//! applied in order to the virtual `{"components":{"schemas":…}}` document.
//!
//! An action whose target matches nothing is an error: after an upstream
//! schema change it would otherwise silently stop applying.

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diagnostic::{self, Diagnostic};
use crate::sources::{FileId, SourceMap};

/// Applies every overlay to `doc`, in file order then action order.
pub(crate) fn apply(
    doc: &mut Value,
    sources: &SourceMap,
    overlays: &[FileId],
    errors: &mut Vec<Diagnostic>,
) {
    for &id in overlays {
        let err = |pointer: &str, message: String| sources.at(id, pointer, message);
        let overlay = match diagnostic::parse(sources.get(id)) {
            Ok(v) => v,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        match overlay.get("overlay").and_then(Value::as_str) {
            Some(v) if v.starts_with("1.") => {}
            Some(v) => {
                errors.push(err(
                    "/overlay",
                    format!("unsupported overlay version {v:?}; expected 1.x"),
                ));
                continue;
            }
            None => {
                errors.push(err(
                    "",
                    "not an overlay document: missing `overlay` version".into(),
                ));
                continue;
            }
        }
        let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
            errors.push(err("", "overlay has no `actions` array".into()));
            continue;
        };
        for (i, action) in actions.iter().enumerate() {
            let at = format!("/actions/{i}");
            if let Err((pointer, message)) = apply_action(doc, action, &at) {
                errors.push(err(&pointer, message));
            }
        }
    }
}

fn apply_action(doc: &mut Value, action: &Value, at: &str) -> Result<(), (String, String)> {
    let target = action
        .get("target")
        .and_then(Value::as_str)
        .ok_or_else(|| (at.to_owned(), "action has no `target` string".to_owned()))?;
    let path = JsonPath::parse(target).map_err(|e| {
        (
            format!("{at}/target"),
            format!("invalid JSONPath {target:?}: {e}"),
        )
    })?;
    let pointers: Vec<String> = path
        .query_located(doc)
        .locations()
        .map(|loc| loc.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        return Err((
            format!("{at}/target"),
            format!("target {target:?} matches nothing"),
        ));
    }
    let remove = action
        .get("remove")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match (action.get("update"), remove) {
        (Some(_), true) => Err((
            at.to_owned(),
            "action has both `update` and `remove`".to_owned(),
        )),
        (None, false) => Err((
            at.to_owned(),
            "action has neither `update` nor `remove: true`".to_owned(),
        )),
        (Some(update), false) => {
            for pointer in &pointers {
                if let Some(node) = doc.pointer_mut(pointer) {
                    merge(node, update).map_err(|m| (format!("{at}/update"), m))?;
                }
            }
            Ok(())
        }
        (None, true) => {
            // Remove deepest-first so earlier removals do not shift later array indices.
            for pointer in pointers.iter().rev() {
                remove_at(doc, pointer);
            }
            Ok(())
        }
    }
}

/// Overlay `update` semantics: objects merge recursively, arrays append,
/// anything else is replaced.
fn merge(node: &mut Value, update: &Value) -> Result<(), String> {
    match (node, update) {
        (Value::Object(target), Value::Object(fields)) => {
            for (k, v) in fields {
                match target.get_mut(k) {
                    Some(existing @ (Value::Object(_) | Value::Array(_)))
                        if v.is_object() || v.is_array() =>
                    {
                        merge(existing, v)?
                    }
                    _ => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(())
        }
        (Value::Array(target), Value::Array(items)) => {
            target.extend(items.iter().cloned());
            Ok(())
        }
        (Value::Array(target), item) => {
            target.push(item.clone());
            Ok(())
        }
        (node, _) => Err(format!(
            "`update` must target an object or an array, but the target is {}",
            kind(node)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some(split) = pointer.rfind('/') else {
        return;
    };
    let (parent, last) = (&pointer[..split], &pointer[split + 1..]);
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}
