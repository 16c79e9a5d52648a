// JSON-value helpers for types validated as a `serde_json::Value`. The
// generator copies this file verbatim into its output when such a type exists.

use serde_json::{Number, Value};

/// JSON Schema's integer: any number with no fractional part, so `1.0` is one.
pub(crate) fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

/// Structural equality as JSON Schema defines it: numbers compare by value
/// (`1` equals `1.0`), objects regardless of key order.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

fn numbers_equal(x: &Number, y: &Number) -> bool {
    // Exact for integers of either sign; floats compare as floats.
    match (as_i128(x), as_i128(y)) {
        (Some(a), Some(b)) => a == b,
        _ => x.as_f64() == y.as_f64(),
    }
}

fn as_i128(n: &Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

/// Whether no two items are equal in the sense of [`equal`].
pub(crate) fn unique(items: &[Value]) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(i, a)| items[i + 1..].iter().all(|b| !equal(a, b)))
}

/// Whether `n / multiple` is an integer, reading both in the decimal form they
/// print as (so `0.0075` is a multiple of `0.0001`, as the suite expects of a
/// JSON number), computed exactly.
pub(crate) fn multiple_of(n: &Number, multiple: f64) -> bool {
    if let (Some(v), true) = (as_i128(n), multiple.fract() == 0.0 && multiple < 9.0e15) {
        return v % (multiple as i128) == 0;
    }
    let Some(value) = n.as_f64() else {
        return false;
    };
    if value == 0.0 {
        return true;
    }
    match (decimal(value), decimal(multiple)) {
        (Some((a, ea)), Some((b, eb))) if b != 0 => {
            // value / multiple = (a / b) * 10^(ea - eb)
            let k = ea - eb;
            if k >= 0 {
                // a * 10^k divisible by b: reduce modulo b.
                let b = b.unsigned_abs();
                let mut rem = a.unsigned_abs() % b;
                let mut ten = 10 % b;
                let mut e = k as u32;
                // Square-and-multiply keeps every product below b^2 < 2^128.
                while e > 0 {
                    if e & 1 == 1 {
                        rem = mul_mod(rem, ten, b);
                    }
                    ten = mul_mod(ten, ten, b);
                    e >>= 1;
                }
                rem == 0
            } else {
                let divisor = 10u128
                    .checked_pow(k.unsigned_abs())
                    .and_then(|p| p.checked_mul(b.unsigned_abs()));
                match divisor {
                    Some(d) => a.unsigned_abs() % d == 0,
                    // The divisor exceeds any mantissa, which is not zero.
                    None => false,
                }
            }
        }
        _ => false,
    }
}

fn mul_mod(a: u128, b: u128, m: u128) -> u128 {
    // Operands are below m < 10^18, so the product fits in u128.
    (a * b) % m
}

/// A finite float as `mantissa * 10^exponent`, from its shortest decimal form.
fn decimal(f: f64) -> Option<(i128, i32)> {
    if !f.is_finite() {
        return None;
    }
    let text = format!("{f:e}");
    let (digits, exponent) = text.split_once('e')?;
    let mut exponent: i32 = exponent.parse().ok()?;
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    exponent -= i32::try_from(frac.len()).ok()?;
    let mantissa: i128 = format!("{int}{frac}").parse().ok()?;
    Some((mantissa, exponent))
}

/// A `minimum`/`maximum` bound as the schema wrote it: an integer kept
/// exact (an `f64` would round those beyond 2^53), or a float.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Bound {
    Int(i128),
    Float(f64),
}

/// The exact order of `n` against `bound` (`None` only for a NaN, which
/// JSON cannot hold). Integers compare as integers and an integer with a
/// float by value, so `18446744073709551616.0` is above `u64::MAX` and
/// `9007199254740993` above `9007199254740992.0`.
pub(crate) fn compare(n: &Number, bound: Bound) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    fn int_float(i: i128, f: f64) -> Option<Ordering> {
        if f.is_nan() {
            return None;
        }
        // ±2^127: beyond every i128.
        const LIMIT: f64 = 1.7014118346046923e38;
        if f >= LIMIT {
            return Some(Ordering::Less);
        }
        if f < -LIMIT {
            return Some(Ordering::Greater);
        }
        let whole = f.trunc();
        // Exact: |whole| < 2^127 and integral.
        match i.cmp(&(whole as i128)) {
            Ordering::Equal => 0.0f64.partial_cmp(&(f - whole)),
            other => Some(other),
        }
    }
    match (as_i128(n), bound) {
        (Some(a), Bound::Int(b)) => Some(a.cmp(&b)),
        (Some(a), Bound::Float(b)) => int_float(a, b),
        (None, Bound::Int(b)) => int_float(b, n.as_f64()?).map(Ordering::reverse),
        (None, Bound::Float(b)) => n.as_f64()?.partial_cmp(&b),
    }
}

/// A value-checked type's raw form: any JSON value, its repeated keys noted.
pub(crate) use crate::validation::JsonRead as Read;
