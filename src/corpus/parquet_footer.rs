//! A bounded walk over a Parquet file's footer before the `parquet` crate decodes it.
//!
//! The footer is a Thrift compact-protocol struct. The crate (59.x) skips a list of
//! booleans by looping over its declared size without consuming a byte, so a footer of a
//! few dozen bytes that declares lists of 2^31 booleans keeps it busy for seconds per
//! list (found by fuzzing; a crafted footer of a kilobyte would take minutes). Its typed
//! readers also reserve capacity from declared sizes. This walk reads the footer once, as
//! the compact protocol defines it, in time linear in its length, and refuses:
//! - a list, set or map declaring more elements than bytes remain (every element takes at
//!   least one byte);
//! - a non-empty collection of booleans (no Parquet footer holds one; the crate would skip
//!   it wrongly, and its reading would part from this walk's);
//! - nesting deeper than [`MAX_DEPTH`], an unknown type, or an end before the struct ends.
//!
//! A footer that passes is decoded by the crate in time linear in its length. Files this
//! walk cannot place (no `PAR1` at the end, a footer length past the file's start) are left
//! to the crate, which refuses them with its own message.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Structs, lists and maps nested deeper than this are refused (the crate's own limit is
/// of the same order; real footers nest fewer than ten).
pub(super) const MAX_DEPTH: u32 = 64;

/// Why a footer was refused, with its byte offset inside the footer.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Refused {
    pub(super) offset: usize,
    pub(super) what: &'static str,
}

/// Reads the footer of `file` (when it has one this walk can place) and walks it.
pub(super) fn check_file(file: &mut File) -> std::io::Result<Result<(), Refused>> {
    let len = file.metadata()?.len();
    if len < 12 {
        return Ok(Ok(()));
    }
    let mut tail = [0u8; 8];
    file.seek(SeekFrom::Start(len - 8))?;
    file.read_exact(&mut tail)?;
    if &tail[4..] != b"PAR1" {
        return Ok(Ok(()));
    }
    let footer_len = u64::from(u32::from_le_bytes(tail[..4].try_into().expect("4 bytes")));
    if footer_len + 8 > len {
        return Ok(Ok(()));
    }
    let mut footer = vec![0u8; footer_len as usize];
    file.seek(SeekFrom::Start(len - 8 - footer_len))?;
    file.read_exact(&mut footer)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(check(&footer))
}

/// Walks `footer` as one Thrift compact struct.
pub(super) fn check(footer: &[u8]) -> Result<(), Refused> {
    let mut w = Walk { buf: footer, at: 0 };
    w.value(STRUCT, 0)
}

const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;
const UUID: u8 = 13;

struct Walk<'a> {
    buf: &'a [u8],
    at: usize,
}

impl Walk<'_> {
    fn refuse<T>(&self, what: &'static str) -> Result<T, Refused> {
        Err(Refused {
            offset: self.at,
            what,
        })
    }

    fn remaining(&self) -> usize {
        self.buf.len() - self.at
    }

    fn byte(&mut self) -> Result<u8, Refused> {
        match self.buf.get(self.at) {
            Some(&b) => {
                self.at += 1;
                Ok(b)
            }
            None => self.refuse("ends inside a value"),
        }
    }

    fn skip(&mut self, n: u64) -> Result<(), Refused> {
        if n > self.remaining() as u64 {
            return self.refuse("a value runs past its end");
        }
        self.at += n as usize;
        Ok(())
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    fn varint(&mut self) -> Result<u64, Refused> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.refuse("a number longer than 10 bytes")
    }

    /// Checks a collection of `n` elements of type `t` can fit, then returns `n`.
    fn elements(&self, n: u64, t: u8, per: u64) -> Result<u64, Refused> {
        if n > 0 && (t == BOOL_TRUE || t == BOOL_FALSE) {
            return self.refuse("a collection of booleans");
        }
        if n.saturating_mul(per) > self.remaining() as u64 {
            return self.refuse("a collection declaring more elements than bytes remain");
        }
        Ok(n)
    }

    fn value(&mut self, t: u8, depth: u32) -> Result<(), Refused> {
        if depth > MAX_DEPTH {
            return self.refuse("nesting too deep");
        }
        match t {
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            BYTE => self.skip(1),
            I16 | I32 | I64 => self.varint().map(drop),
            DOUBLE => self.skip(8),
            BINARY => {
                let n = self.varint()?;
                self.skip(n)
            }
            UUID => self.skip(16),
            LIST | SET => {
                let head = self.byte()?;
                let elem = head & 0x0f;
                let n = match head >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                for _ in 0..self.elements(n, elem, 1)? {
                    self.value(elem, depth + 1)?;
                }
                Ok(())
            }
            MAP => {
                let n = self.varint()?;
                if n == 0 {
                    return Ok(());
                }
                let kv = self.byte()?;
                let (k, v) = (kv >> 4, kv & 0x0f);
                self.elements(n, k, 2)?;
                for _ in 0..self.elements(n, v, 2)? {
                    self.value(k, depth + 1)?;
                    self.value(v, depth + 1)?;
                }
                Ok(())
            }
            STRUCT => loop {
                let head = self.byte()?;
                if head == 0 {
                    return Ok(());
                }
                if head >> 4 == 0 {
                    // A field id that is not a small delta follows as a zigzag varint.
                    self.varint()?;
                }
                self.value(head & 0x0f, depth + 1)?;
            },
            _ => self.refuse("an unknown Thrift type"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_struct_passes() {
        // field 1: i32 5; field 2: binary "ab"; field 3: list of two i64; stop.
        let footer = [
            0x15, 0x0a, 0x18, 0x02, b'a', b'b', 0x19, 0x26, 0x02, 0x04, 0x00,
        ];
        assert_eq!(check(&footer), Ok(()));
    }

    #[test]
    fn a_huge_list_of_booleans_is_refused_at_its_header() {
        // field 1: list, header 0xf1 (size follows, booleans), size 2^31 - 1.
        let footer = [0x19, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        let r = check(&footer).unwrap_err();
        assert_eq!(r.what, "a collection of booleans");
    }

    #[test]
    fn declared_sizes_beyond_the_bytes_are_refused() {
        // a list of 1,000 i32 in a 7-byte footer
        let footer = [0x19, 0xf5, 0xe8, 0x07, 0x00, 0x00, 0x00];
        assert_eq!(
            check(&footer).unwrap_err().what,
            "a collection declaring more elements than bytes remain"
        );
        // a map of 2^40 entries
        let footer = [0x1b, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x55, 0x00];
        assert!(check(&footer).is_err());
    }

    #[test]
    fn truncation_and_deep_nesting_are_refused() {
        assert!(check(&[0x15]).is_err());
        assert!(check(&[]).is_err());
        let deep: Vec<u8> = std::iter::repeat_n(0x1c, 100).collect();
        assert_eq!(check(&deep).unwrap_err().what, "nesting too deep");
    }
}
