//! One document and its metadata.

use std::borrow::Cow;
use std::ops::Range;

use super::date::{is_missing_date, parse_date};

/// A document as read from the input, possibly borrowing from the input buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    /// The id as written in the input (a missing id becomes `FILE:LINE`).
    pub id: Cow<'a, str>,
    /// Whether the id was a JSON number (so JSON output can write it back as a number).
    pub id_is_number: bool,
    /// The text that similarity is computed on.
    pub text: Cow<'a, str>,
    /// The headline, if any.
    pub title: Option<Cow<'a, str>>,
    /// The outlet (publisher), if any.
    pub outlet: Option<Cow<'a, str>>,
    /// The publication date as written (any form [`parse_date`] reads), if any.
    pub date: Option<Cow<'a, str>>,
    /// The address, if any.
    pub url: Option<Cow<'a, str>>,
    /// 1-based line of the record in its file (0 for whole-file documents).
    pub line: u64,
    /// Where the record's bytes are in its input file, line ending included (the whole
    /// file for a `.txt` document), so that it can be copied unchanged; `None` for
    /// documents not read from a file.
    pub bytes: Option<Range<u64>>,
}

impl<'a> Document<'a> {
    /// A document with only an id and a text.
    pub fn new(id: impl Into<Cow<'a, str>>, text: impl Into<Cow<'a, str>>) -> Self {
        Document {
            id: id.into(),
            id_is_number: false,
            text: text.into(),
            title: None,
            outlet: None,
            date: None,
            url: None,
            line: 0,
            bytes: None,
        }
    }

    /// Copies every borrowed field, detaching the document from its buffer.
    pub fn into_owned(self) -> Document<'static> {
        fn own(c: Cow<'_, str>) -> Cow<'static, str> {
            Cow::Owned(c.into_owned())
        }
        Document {
            id: own(self.id),
            id_is_number: self.id_is_number,
            text: own(self.text),
            title: self.title.map(own),
            outlet: self.outlet.map(own),
            date: self.date.map(own),
            url: self.url.map(own),
            line: self.line,
            bytes: self.bytes,
        }
    }
}

/// Names of the input fields (JSONL keys, CSV columns) that hold each part of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    /// Field holding the id (default `id`).
    pub id: String,
    /// Field holding the text (default `text`).
    pub text: String,
    /// Field holding the title (default `title`).
    pub title: String,
    /// Field holding the outlet (default `outlet`).
    pub outlet: String,
    /// Field holding the date (default `date`).
    pub date: String,
    /// Field holding the url (default `url`).
    pub url: String,
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
            outlet: "outlet".into(),
            date: "date".into(),
            url: "url".into(),
        }
    }
}

/// Which part of a document a field name maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Id,
    Text,
    Title,
    Outlet,
    Date,
    Url,
}

impl FieldMap {
    /// The slot a field name fills, if any (id and text win over metadata on a clash).
    pub(crate) fn slot(&self, name: &str) -> Option<Slot> {
        if name == self.id {
            Some(Slot::Id)
        } else if name == self.text {
            Some(Slot::Text)
        } else if name == self.title {
            Some(Slot::Title)
        } else if name == self.outlet {
            Some(Slot::Outlet)
        } else if name == self.date {
            Some(Slot::Date)
        } else if name == self.url {
            Some(Slot::Url)
        } else {
            None
        }
    }
}

/// What is kept of a document once its text is processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMeta {
    /// The id as in the input.
    pub id: Box<str>,
    /// Whether the id was a JSON number.
    pub id_is_number: bool,
    /// The title.
    pub title: Option<Box<str>>,
    /// The outlet.
    pub outlet: Option<Box<str>>,
    /// The date.
    pub date: Option<Box<str>>,
    /// The url.
    pub url: Option<Box<str>>,
    /// Index of the input file in the corpus's input list.
    pub input: u32,
    /// Line in that input (0 for whole-file documents).
    pub line: u64,
    /// Where the record's bytes are in that input (see [`Document::bytes`]).
    pub bytes: Option<Range<u64>>,
    /// The publication instant the date stands for, in milliseconds since 1970-01-01 UTC
    /// (see [`parse_date`]); `None` when undated or unreadable.
    pub published: Option<i64>,
    /// The length of the text in characters (0 for documents loaded from an index, which
    /// does not store it).
    pub chars: u64,
}

impl DocMeta {
    /// The metadata of a document read from input number `input`.
    pub fn of(d: &Document<'_>, input: u32) -> Self {
        let own = |s: &Option<std::borrow::Cow<'_, str>>| s.as_deref().map(Box::from);
        DocMeta {
            id: Box::from(&*d.id),
            id_is_number: d.id_is_number,
            title: own(&d.title),
            outlet: own(&d.outlet),
            date: d
                .date
                .as_deref()
                .filter(|s| !is_missing_date(s))
                .map(Box::from),
            url: own(&d.url),
            input,
            line: d.line,
            bytes: d.bytes.clone(),
            published: d.date.as_deref().and_then(parse_date),
            chars: d.text.chars().count() as u64,
        }
    }

    /// Whether the document has a date that could not be read (see
    /// [`parse_date`]).
    pub fn date_unreadable(&self) -> bool {
        self.date.is_some() && self.published.is_none()
    }
}
