//! Whether JSON text means what `serde_json::Value` makes of it. A `Value`
//! keeps the last of repeated keys and holds a fraction as the nearest
//! `f64`, while the generated code refuses a repeated key and judges a
//! number by its exact decimal. The oracle only sees the `Value`, so the
//! verdict on the text as written can only be compared when nothing was
//! lost.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// What reading the text into a `serde_json::Value` loses.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// Nothing: the `Value` prints as the same keys and decimal numbers.
    Faithful,
    /// Some object gives a property twice (at any depth); the value as a
    /// parser keeping the first of each would read it (a `Value` keeps the
    /// last).
    RepeatedKey(Value),
    /// No repeated key, but some number is not the decimal its `f64` prints
    /// as (`0.10000000000000000001`, `1e400`).
    Rounded,
}

/// Reads `data`, which must be valid JSON (else [`Literal::Rounded`]: nothing
/// is claimed).
pub fn literal(data: &[u8]) -> Literal {
    let Ok(text) = std::str::from_utf8(data) else {
        return Literal::Rounded;
    };
    let Ok(raw) = serde_json::from_str::<&RawValue>(text) else {
        return Literal::Rounded;
    };
    let mut rounded = false;
    let mut repeated = false;
    let first = walk(raw, &mut repeated, &mut rounded);
    if repeated {
        Literal::RepeatedKey(first)
    } else if rounded {
        Literal::Rounded
    } else {
        Literal::Faithful
    }
}

/// `raw` with the first of each repeated key; sets `repeated` on a repeated
/// key and `rounded` on a number its `f64` does not hold exactly as written.
fn walk(raw: &RawValue, repeated: &mut bool, rounded: &mut bool) -> Value {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'{') => {
            let Ok(Entries(entries)) = serde_json::from_str::<Entries<'_>>(text) else {
                *rounded = true;
                return Value::Null;
            };
            let mut first = serde_json::Map::new();
            for (key, value) in entries {
                let value = walk(value, repeated, rounded);
                if first.contains_key(&key) {
                    *repeated = true;
                } else {
                    first.insert(key, value);
                }
            }
            Value::Object(first)
        }
        Some(b'[') => {
            let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) else {
                *rounded = true;
                return Value::Null;
            };
            Value::Array(
                items
                    .into_iter()
                    .map(|i| walk(i, repeated, rounded))
                    .collect(),
            )
        }
        Some(b'-' | b'0'..=b'9') => {
            let printed = serde_json::from_str::<serde_json::Number>(text).map(|n| n.to_string());
            if printed.map_or(true, |p| {
                decimal(text).is_none() || decimal(text) != decimal(&p)
            }) {
                *rounded = true;
            }
            serde_json::from_str(text).unwrap_or(Value::Null)
        }
        _ => serde_json::from_str(text).unwrap_or(Value::Null),
    }
}

/// An object's entries in order, repeats kept.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Entries<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'a>, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        deserializer.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A JSON number as (negative, significant digits, exponent): equal exactly
/// when the decimals are equal. `None` when the exponent overflows.
fn decimal(text: &str) -> Option<(bool, String, i64)> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let mut exponent = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    exponent = exponent.checked_add(i64::try_from(digits.len() - trimmed.len()).ok()?)?;
    if trimmed.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, trimmed.to_owned(), exponent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_decimal_are_faithful() {
        assert_eq!(
            literal(br#"{"a": [1, 1.0, 1e0, 10E-1, -0, 0.5]}"#),
            Literal::Faithful
        );
        assert_eq!(literal(br#"{"a": 1, "b": {"a": 2}}"#), Literal::Faithful);
    }

    #[test]
    fn repeated_keys_are_found_at_any_depth() {
        assert_eq!(
            literal(br#"{"a": 1, "a": 2}"#),
            Literal::RepeatedKey(serde_json::json!({ "a": 1 }))
        );
        assert_eq!(
            literal(br#"[{"b": [{"a": 1, "\u0061": 2}]}]"#),
            Literal::RepeatedKey(serde_json::json!([{ "b": [{ "a": 1 }] }]))
        );
    }

    #[test]
    fn numbers_an_f64_rounds_are_found() {
        assert_eq!(literal(b"0.10000000000000000001"), Literal::Rounded);
        assert_eq!(literal(b"[1.0000000000000001]"), Literal::Rounded);
        assert_eq!(literal(b"123456789012345678901234567890"), Literal::Rounded);
    }
}
