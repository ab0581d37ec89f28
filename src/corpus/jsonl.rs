//! JSON Lines records: one object per line, parsed without copying the text.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::document::{Document, FieldMap, Slot};
use crate::error::{Error, Result};

/// Parses one JSONL line into a document. Returns `Ok(None)` for a blank line.
///
/// `path` and `line` only label errors and missing ids.
pub fn parse_jsonl_line<'a>(
    bytes: &'a [u8],
    path: &Path,
    line: u64,
    fields: &FieldMap,
) -> Result<Option<Document<'a>>> {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    // A byte-order mark, which some Windows tools write, opens the first line.
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) if line == 1 => rest,
        _ => bytes,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::parse(
            path,
            line,
            format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1),
        )
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let raw = RecordSeed { fields }
        .deserialize(&mut de)
        .and_then(|r| de.end().map(|()| r))
        .map_err(|e| Error::parse(path, line, describe_json_error(&e)))?;
    let text = match raw.text {
        Some(Value::Str(s)) => s,
        Some(Value::Null) => Cow::Borrowed(""),
        Some(Value::Number(_)) => {
            return Err(Error::parse(
                path,
                line,
                format!("field {:?} must be a string", fields.text),
            ));
        }
        None => {
            return Err(Error::parse(
                path,
                line,
                format!(
                    "no field {:?} (choose another with --text-field)",
                    fields.text
                ),
            ));
        }
    };
    let (id, id_is_number) = match raw.id {
        Some(Value::Str(s)) => (s, false),
        Some(Value::Number(n)) => (Cow::Owned(n), true),
        Some(Value::Null) | None => (Cow::Owned(format!("{}:{line}", path.display())), false),
    };
    let meta = |v: Option<Value<'a>>| match v {
        Some(Value::Str(s)) if !s.is_empty() => Some(s),
        Some(Value::Number(n)) => Some(Cow::Owned(n)),
        _ => None,
    };
    Ok(Some(Document {
        id,
        id_is_number,
        text,
        title: meta(raw.title),
        outlet: meta(raw.outlet),
        date: meta(raw.date),
        url: meta(raw.url),
        line,
        bytes: None,
    }))
}

fn describe_json_error(e: &serde_json::Error) -> String {
    // serde_json appends "at line 1 column N"; the line is always 1 here, so keep the column.
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => format!("invalid JSON: {} (column {})", &msg[..i], e.column()),
        None => format!("invalid JSON: {msg}"),
    }
}

/// A scalar field value.
enum Value<'a> {
    Str(Cow<'a, str>),
    Number(String),
    Null,
}

#[derive(Default)]
struct RawRecord<'a> {
    id: Option<Value<'a>>,
    text: Option<Value<'a>>,
    title: Option<Value<'a>>,
    outlet: Option<Value<'a>>,
    date: Option<Value<'a>>,
    url: Option<Value<'a>>,
}

struct RecordSeed<'f> {
    fields: &'f FieldMap,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = RawRecord<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = RawRecord<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rec = RawRecord::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let Some(slot) = self.fields.slot(&key) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let value = if slot == Slot::Id {
                // An id keeps its digits as written: a number beyond 64 bits must not be
                // rounded into another document's id.
                let raw = map.next_value::<&'de RawValue>()?;
                match raw.get().as_bytes().first() {
                    Some(b'-' | b'0'..=b'9') => Value::Number(raw.get().to_owned()),
                    Some(b'"') => Value::Str(Cow::Owned(
                        serde_json::from_str(raw.get()).map_err(A::Error::custom)?,
                    )),
                    Some(b'n') => Value::Null,
                    _ => {
                        return Err(A::Error::custom(format!(
                            "invalid type: {}, expected a string, a number or null for field {key:?}",
                            raw.get().chars().take(16).collect::<String>()
                        )));
                    }
                }
            } else {
                map.next_value_seed(ValueSeed { field: &key })?
            };
            let dest = match slot {
                Slot::Id => &mut rec.id,
                Slot::Text => &mut rec.text,
                Slot::Title => &mut rec.title,
                Slot::Outlet => &mut rec.outlet,
                Slot::Date => &mut rec.date,
                Slot::Url => &mut rec.url,
            };
            *dest = Some(value);
        }
        Ok(rec)
    }
}

struct ValueSeed<'k> {
    field: &'k str,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a string, a number or null for field {:?}", self.field)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Value::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Value::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Option<Document<'_>>> {
        parse_jsonl_line(
            line.as_bytes(),
            Path::new("in.jsonl"),
            7,
            &FieldMap::default(),
        )
    }

    #[test]
    fn borrows_text_and_reads_metadata() {
        let d = parse(r#"{"id":"a1","text":"Hello world","outlet":"AP","date":"2024-06-01","extra":[1,{"x":2}]}"#)
            .unwrap()
            .unwrap();
        assert_eq!(d.id, "a1");
        assert!(matches!(d.text, Cow::Borrowed("Hello world")));
        assert_eq!(d.outlet.as_deref(), Some("AP"));
        assert_eq!(d.date.as_deref(), Some("2024-06-01"));
        assert_eq!(d.line, 7);
    }

    #[test]
    fn numeric_and_missing_ids() {
        let d = parse(r#"{"id": 42, "text": "x"}"#).unwrap().unwrap();
        assert_eq!((d.id.as_ref(), d.id_is_number), ("42", true));
        let d = parse(r#"{"text": "x"}"#).unwrap().unwrap();
        assert_eq!(d.id, "in.jsonl:7");
        // Beyond 64 bits the digits are kept, not rounded into a neighbour's id.
        let d = parse(r#"{"id": 18446744073709551617, "text": "x"}"#)
            .unwrap()
            .unwrap();
        assert_eq!(
            (d.id.as_ref(), d.id_is_number),
            ("18446744073709551617", true)
        );
        let d = parse(r#"{"id": "a\"b", "text": "x"}"#).unwrap().unwrap();
        assert_eq!((d.id.as_ref(), d.id_is_number), ("a\"b", false));
        let d = parse(r#"{"id": null, "text": "x"}"#).unwrap().unwrap();
        assert_eq!(d.id, "in.jsonl:7");
        let e = parse(r#"{"id": [1], "text": "x"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("in.jsonl:7") && e.contains("\"id\""), "{e}");
    }

    #[test]
    fn a_byte_order_mark_opens_the_first_line_only() {
        let line = "\u{feff}{\"id\": \"a\", \"text\": \"x\"}";
        let first = parse_jsonl_line(
            line.as_bytes(),
            Path::new("in.jsonl"),
            1,
            &FieldMap::default(),
        );
        assert_eq!(first.unwrap().unwrap().id, "a");
        assert!(parse(line).is_err());
    }

    #[test]
    fn escaped_text_is_decoded() {
        let d = parse(r#"{"id":"a","text":"caf\u00e9 \"q\""}"#)
            .unwrap()
            .unwrap();
        assert_eq!(d.text, "café \"q\"");
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse(r#"{"id":"a","text": "x""#).unwrap_err().to_string();
        assert!(e.starts_with("in.jsonl:7: invalid JSON"), "{e}");
        let e = parse(r#"{"id":"a"}"#).unwrap_err().to_string();
        assert!(e.contains("no field \"text\""), "{e}");
        let e = parse(r#"{"id":"a","text":[1]}"#).unwrap_err().to_string();
        assert!(e.starts_with("in.jsonl:7:"), "{e}");
        let e = parse(r#"[1,2]"#).unwrap_err().to_string();
        assert!(e.contains("invalid JSON"), "{e}");
        let e = parse_jsonl_line(
            b"{\"text\":\"\xff\"}",
            Path::new("f"),
            3,
            &FieldMap::default(),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "f:3: invalid UTF-8 at byte 10");
    }

    #[test]
    fn blank_lines_are_skipped() {
        assert!(parse("   ").unwrap().is_none());
        assert!(parse("").unwrap().is_none());
    }
}
