
// Appended to the validation runtime only when the generator writes
// `schemars::JsonSchema` impls (the default; not with `--no-schemars`).

/// A generated type's schema: `json` as the generator wrote it, where each
/// object whose `$ref` is a number `N` (no real `$ref` is) stands for
/// `refs[N]`, the referenced type's schema from the `SchemaGenerator`; the
/// object's other keys (a field's `description`) are added to it.
#[cfg(feature = "schemars")]
pub(crate) fn schema_with_refs(json: &str, refs: &[schemars::Schema]) -> schemars::Schema {
    fn fill(value: &mut serde_json::Value, refs: &[schemars::Schema]) {
        let slot = match &*value {
            serde_json::Value::Object(map) => map
                .get("$ref")
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
                .and_then(|n| refs.get(n)),
            _ => None,
        };
        if let Some(schema) = slot {
            let mut filled = schema.clone().to_value();
            if let (serde_json::Value::Object(own), serde_json::Value::Object(target)) =
                (&*value, &mut filled)
            {
                for (key, v) in own.iter().filter(|(key, _)| *key != "$ref") {
                    target.insert(key.clone(), v.clone());
                }
            }
            *value = filled;
            return;
        }
        match value {
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| fill(v, refs)),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| fill(v, refs)),
            _ => {}
        }
    }
    // The generator serialized `json` itself, so it parses.
    let mut value = serde_json::from_str(json).unwrap_or_default();
    fill(&mut value, refs);
    schemars::Schema::try_from(value).unwrap_or_default()
}
