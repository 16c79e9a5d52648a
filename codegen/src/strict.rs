//! JSON input read strictly: a repeated key in an object, which serde_json
//! would settle silently (the last wins), and nesting deeper than the
//! generator handles are errors naming the pointer, instead of a different
//! schema than the author wrote or serde_json's "recursion limit exceeded".

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Deepest JSON nesting read: the bound the schema checks use too
/// (`lower::MAX_DEPTH`), so every too-deep input gets the same message.
pub(crate) const MAX_DEPTH: usize = 64;

/// Why a parse failed beyond syntax: the pointer and the message.
pub(crate) type Refusal = (String, String);

/// Parses `text`; `Err` carries serde_json's error (with its position) and,
/// when the refusal is ours, its pointer and message.
pub(crate) fn parse(text: &str) -> Result<Value, (serde_json::Error, Option<Refusal>)> {
    let refusal = RefCell::new(None);
    let mut path = Vec::new();
    let mut de = serde_json::Deserializer::from_str(text);
    // serde_json's own limit is deeper than ours; ours answers first.
    let seed = Node {
        path: &mut path,
        refusal: &refusal,
    };
    let value = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    value.map_err(|e| (e, refusal.into_inner()))
}

struct Node<'a> {
    path: &'a mut Vec<String>,
    refusal: &'a RefCell<Option<Refusal>>,
}

impl Node<'_> {
    fn pointer(&self) -> String {
        crate::diagnostic::pointer_of(self.path.iter())
    }

    fn refuse<E: de::Error>(&self, pointer: String, message: String) -> E {
        let error = E::custom(&message);
        *self.refusal.borrow_mut() = Some((pointer, message));
        error
    }

    fn child(&mut self, token: String) -> Node<'_> {
        self.path.push(token);
        Node {
            path: self.path,
            refusal: self.refusal,
        }
    }

    fn too_deep<E: de::Error>(&self) -> Result<(), E> {
        if self.path.len() >= MAX_DEPTH {
            let message = format!("unsupported: nesting deeper than {MAX_DEPTH} levels");
            return Err(self.refuse(self.pointer(), message));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.too_deep()?;
        let mut items = Vec::new();
        loop {
            let child = self.child(items.len().to_string());
            let item = seq.next_element_seed(child);
            self.path.pop();
            match item? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        self.too_deep()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let mut pointer = self.pointer();
                pointer.push('/');
                pointer.push_str(&crate::diagnostic::escape_token(&key));
                let message = format!("duplicate key {key:?}: which value counts would be a guess");
                return Err(self.refuse(pointer, message));
            }
            let child = self.child(key.clone());
            let value = map.next_value_seed(child);
            self.path.pop();
            out.insert(key, value?);
        }
        Ok(Value::Object(out))
    }
}
