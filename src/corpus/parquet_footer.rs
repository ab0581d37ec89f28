//! A bounded walk over a Parquet file's footer before the `parquet` crate decodes it.
//!
//! The footer is a Thrift compact-protocol struct (`FileMetaData`). The crate (59.x, and
//! 60.1) skips a field it does not know by its wire type, and skips a list of booleans by
//! looping over the declared size without consuming a byte: a footer of a few dozen bytes
//! that declares lists of 2^31 booleans keeps it busy for seconds per list (found by
//! fuzzing; a crafted footer of a kilobyte would take minutes). It also reads a field it
//! knows as the type it expects, whatever the wire says, so once a field's wire type is
//! wrong its reading parts from the bytes' structure and can meet such a list anywhere.
//!
//! This walk reads the footer once, in time linear in its length, following the Parquet
//! format's own types ([`FILE_META_DATA`] and the structs below it, as `parquet.thrift`
//! defines them) where a field is known and the wire types elsewhere, and refuses:
//! - a known field, or a known list's elements, of another wire type than the format's;
//! - a list, set or map declaring more elements than bytes remain (every element takes at
//!   least one byte);
//! - a non-empty collection of booleans (no Parquet footer holds one);
//! - nesting deeper than [`MAX_DEPTH`], an unknown type, or an end inside a value.
//!
//! So the crate reads a footer that passes along the same structure, over lists no longer
//! than the footer, in time linear in its length. Files this walk cannot place (no `PAR1`
//! at the end, a footer length past the file's start) are left to the crate, which refuses
//! them with its own message.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// Structs, lists and maps nested deeper than this are refused (the crate's own limit is
/// of the same order; real footers nest fewer than ten).
pub(super) const MAX_DEPTH: u32 = 64;

/// A value's type in the Parquet format, as far as this walk needs it.
#[derive(Clone, Copy)]
enum Ty {
    Bool,
    I8,
    I16,
    I32,
    I64,
    F64,
    Bin,
    List(&'static Ty),
    /// A struct or a union, by its known fields (id, type).
    Struct(&'static [(i64, Ty)]),
}

use Ty::{Bin, Bool, F64, I8, I16, I32, I64, List, Struct};

impl Ty {
    /// Whether a wire type (a field's or a list's element type) encodes this type.
    fn is_wire(self, wire: u8) -> bool {
        match self {
            Bool => wire == BOOL_TRUE || wire == BOOL_FALSE,
            I8 => wire == BYTE,
            I16 => wire == I16_W,
            I32 => wire == I32_W,
            I64 => wire == I64_W,
            F64 => wire == DOUBLE,
            Bin => wire == BINARY,
            List(_) => wire == LIST,
            Struct(_) => wire == STRUCT,
        }
    }
}

// The structs of parquet.thrift the footer holds (enums are i32; a union variant without a
// payload is an empty struct).
const EMPTY: &[(i64, Ty)] = &[];
const TIME_UNIT: &[(i64, Ty)] = &[(1, Struct(EMPTY)), (2, Struct(EMPTY)), (3, Struct(EMPTY))];
const DECIMAL: &[(i64, Ty)] = &[(1, I32), (2, I32)];
const TIMESTAMP: &[(i64, Ty)] = &[(1, Bool), (2, Struct(TIME_UNIT))];
const INT_TYPE: &[(i64, Ty)] = &[(1, I8), (2, Bool)];
const VARIANT: &[(i64, Ty)] = &[(1, I8)];
const GEOMETRY: &[(i64, Ty)] = &[(1, Bin)];
const GEOGRAPHY: &[(i64, Ty)] = &[(1, Bin), (2, I32)];
const LOGICAL_TYPE: &[(i64, Ty)] = &[
    (1, Struct(EMPTY)),
    (2, Struct(EMPTY)),
    (3, Struct(EMPTY)),
    (4, Struct(EMPTY)),
    (5, Struct(DECIMAL)),
    (6, Struct(EMPTY)),
    (7, Struct(TIMESTAMP)),
    (8, Struct(TIMESTAMP)),
    (10, Struct(INT_TYPE)),
    (11, Struct(EMPTY)),
    (12, Struct(EMPTY)),
    (13, Struct(EMPTY)),
    (14, Struct(EMPTY)),
    (15, Struct(EMPTY)),
    (16, Struct(VARIANT)),
    (17, Struct(GEOMETRY)),
    (18, Struct(GEOGRAPHY)),
];
const SCHEMA_ELEMENT: &[(i64, Ty)] = &[
    (1, I32),
    (2, I32),
    (3, I32),
    (4, Bin),
    (5, I32),
    (6, I32),
    (7, I32),
    (8, I32),
    (9, I32),
    (10, Struct(LOGICAL_TYPE)),
];
const KEY_VALUE: &[(i64, Ty)] = &[(1, Bin), (2, Bin)];
const STATISTICS: &[(i64, Ty)] = &[
    (1, Bin),
    (2, Bin),
    (3, I64),
    (4, I64),
    (5, Bin),
    (6, Bin),
    (7, Bool),
    (8, Bool),
];
const PAGE_ENCODING_STATS: &[(i64, Ty)] = &[(1, I32), (2, I32), (3, I32)];
const SIZE_STATISTICS: &[(i64, Ty)] = &[(1, I64), (2, List(&I64)), (3, List(&I64))];
const BOUNDING_BOX: &[(i64, Ty)] = &[
    (1, F64),
    (2, F64),
    (3, F64),
    (4, F64),
    (5, F64),
    (6, F64),
    (7, F64),
    (8, F64),
];
const GEOSPATIAL_STATISTICS: &[(i64, Ty)] = &[(1, Struct(BOUNDING_BOX)), (2, List(&I32))];
const COLUMN_META_DATA: &[(i64, Ty)] = &[
    (1, I32),
    (2, List(&I32)),
    (3, List(&Bin)),
    (4, I32),
    (5, I64),
    (6, I64),
    (7, I64),
    (8, List(&Struct(KEY_VALUE))),
    (9, I64),
    (10, I64),
    (11, I64),
    (12, Struct(STATISTICS)),
    (13, List(&Struct(PAGE_ENCODING_STATS))),
    (14, I64),
    (15, I32),
    (16, Struct(SIZE_STATISTICS)),
    (17, Struct(GEOSPATIAL_STATISTICS)),
];
const ENCRYPTION_WITH_COLUMN_KEY: &[(i64, Ty)] = &[(1, List(&Bin)), (2, Bin)];
const COLUMN_CRYPTO_META_DATA: &[(i64, Ty)] =
    &[(1, Struct(EMPTY)), (2, Struct(ENCRYPTION_WITH_COLUMN_KEY))];
const COLUMN_CHUNK: &[(i64, Ty)] = &[
    (1, Bin),
    (2, I64),
    (3, Struct(COLUMN_META_DATA)),
    (4, I64),
    (5, I32),
    (6, I64),
    (7, I32),
    (8, Struct(COLUMN_CRYPTO_META_DATA)),
    (9, Bin),
];
const SORTING_COLUMN: &[(i64, Ty)] = &[(1, I32), (2, Bool), (3, Bool)];
const ROW_GROUP: &[(i64, Ty)] = &[
    (1, List(&Struct(COLUMN_CHUNK))),
    (2, I64),
    (3, I64),
    (4, List(&Struct(SORTING_COLUMN))),
    (5, I64),
    (6, I64),
    (7, I16),
];
const COLUMN_ORDER: &[(i64, Ty)] = &[(1, Struct(EMPTY))];
const AES_GCM: &[(i64, Ty)] = &[(1, Bin), (2, Bin), (3, Bool)];
const ENCRYPTION_ALGORITHM: &[(i64, Ty)] = &[(1, Struct(AES_GCM)), (2, Struct(AES_GCM))];
/// `FileMetaData`, the footer's struct.
const FILE_META_DATA: &[(i64, Ty)] = &[
    (1, I32),
    (2, List(&Struct(SCHEMA_ELEMENT))),
    (3, I64),
    (4, List(&Struct(ROW_GROUP))),
    (5, List(&Struct(KEY_VALUE))),
    (6, Bin),
    (7, List(&Struct(COLUMN_ORDER))),
    (8, Struct(ENCRYPTION_ALGORITHM)),
    (9, Bin),
];

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
    w.value(STRUCT, Some(Struct(FILE_META_DATA)), 0)
}

const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16_W: u8 = 4;
const I32_W: u8 = 5;
const I64_W: u8 = 6;
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

    /// Walks a value of wire type `t`, known to be of type `known` when given.
    fn value(&mut self, t: u8, known: Option<Ty>, depth: u32) -> Result<(), Refused> {
        if depth > MAX_DEPTH {
            return self.refuse("nesting too deep");
        }
        if let Some(k) = known
            && !k.is_wire(t)
        {
            return self.refuse("a field of another type than the format's");
        }
        match t {
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            BYTE => self.skip(1),
            I16_W | I32_W | I64_W => self.varint().map(drop),
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
                let elem_known = match known {
                    Some(List(e)) => Some(*e),
                    _ => None,
                };
                if n > 0
                    && let Some(e) = elem_known
                    && !e.is_wire(elem)
                {
                    return self.refuse("a list of another element type than the format's");
                }
                for _ in 0..self.elements(n, elem, 1)? {
                    self.value(elem, elem_known, depth + 1)?;
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
                    self.value(k, None, depth + 1)?;
                    self.value(v, None, depth + 1)?;
                }
                Ok(())
            }
            STRUCT => {
                let fields = match known {
                    Some(Struct(f)) => Some(f),
                    _ => None,
                };
                let mut last = 0i16;
                loop {
                    let head = self.byte()?;
                    if head == 0 {
                        return Ok(());
                    }
                    // A field id is a delta from the last one, or a zigzag varint read as
                    // the crate reads it: cut to 16 bits (so that the known fields are the
                    // ones it will take for known).
                    let id = match head >> 4 {
                        0 => {
                            let z = self.varint()?;
                            ((z >> 1) as i64 ^ -((z & 1) as i64)) as i16
                        }
                        d => match last.checked_add(i16::from(d)) {
                            Some(id) => id,
                            None => return self.refuse("a field number out of range"),
                        },
                    };
                    last = id;
                    let field = fields
                        .and_then(|f| f.iter().find(|(i, _)| *i == i64::from(id)).map(|&(_, t)| t));
                    self.value(head & 0x0f, field, depth + 1)?;
                }
            }
            _ => self.refuse("an unknown Thrift type"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_struct_passes() {
        // field 1 (version): i32 5; field 6 (created_by): "ab"; field 20 (unknown): list of
        // two i64; stop.
        let footer = [
            0x15, 0x0a, 0x58, 0x02, b'a', b'b', 0xe9, 0x26, 0x02, 0x04, 0x00,
        ];
        assert_eq!(check(&footer), Ok(()));
    }

    #[test]
    fn a_known_field_of_another_wire_type_is_refused() {
        // field 1 (version, i32) written as a boolean: the crate would read the next bytes
        // as its i32 and part from the structure.
        let r = check(&[0x11, 0x0a, 0x00]).unwrap_err();
        assert_eq!(r.what, "a field of another type than the format's");
        // field 2 (schema, list of structs) holding i32
        let r = check(&[0x29, 0x15, 0x02, 0x00]).unwrap_err();
        assert_eq!(r.what, "a list of another element type than the format's");
    }

    #[test]
    fn a_long_field_number_is_cut_to_16_bits_as_the_crate_cuts_it() {
        // field 65,537 (zigzag varint 82 80 08) as a boolean: the crate reads the number
        // as an i16, 1, the version (an i32), and would read the next bytes as its value.
        let r = check(&[0x01, 0x82, 0x80, 0x08, 0x00]).unwrap_err();
        assert_eq!(r.what, "a field of another type than the format's");
    }

    #[test]
    fn a_huge_list_of_booleans_is_refused_at_its_header() {
        // field 20 (unknown): list, header 0xf1 (size follows, booleans), size 2^31 - 1.
        let footer = [0x09, 0x28, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00];
        let r = check(&footer).unwrap_err();
        assert_eq!(r.what, "a collection of booleans");
    }

    #[test]
    fn declared_sizes_beyond_the_bytes_are_refused() {
        // a list of 1,000 i32 (field 20, unknown) in an 8-byte footer
        let footer = [0x09, 0x28, 0xf5, 0xe8, 0x07, 0x00, 0x00, 0x00];
        assert_eq!(
            check(&footer).unwrap_err().what,
            "a collection declaring more elements than bytes remain"
        );
        // a map of 2^40 entries (field 20)
        let footer = [0x0b, 0x28, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x55, 0x00];
        assert!(check(&footer).is_err());
    }

    #[test]
    fn truncation_and_deep_nesting_are_refused() {
        assert!(check(&[0x15]).is_err());
        assert!(check(&[]).is_err());
        // fields 21, 22, ... each a struct holding the next (unknown, so walked by wire type)
        let mut deep = vec![0x0c, 0x2a];
        deep.extend(std::iter::repeat_n(0x1c, 100));
        assert_eq!(check(&deep).unwrap_err().what, "nesting too deep");
    }
}
