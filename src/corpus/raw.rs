//! The raw article form `[OUTLET] date YYYY-MM-DD body`, one article per file.

use std::borrow::Cow;

use super::document::Document;

/// Splits a raw article into (outlet, date, body), or `None` if it is not in the raw form.
///
/// The form is an optional outlet name (one word), the word `date`, an ISO date
/// `YYYY-MM-DD`, then the body. Leading white space is allowed (an article with no outlet
/// starts ` date ...`).
pub fn split_raw(text: &str) -> Option<(Option<&str>, &str, &str)> {
    let s = text.trim_start_matches(['\u{feff}', ' ', '\t']);
    let (first, rest) = split_word(s)?;
    let (outlet, rest) = if first == "date" {
        (None, rest)
    } else {
        let (second, rest) = split_word(rest)?;
        (second == "date").then_some(())?;
        (Some(first), rest)
    };
    let (date, body) = split_word(rest)?;
    is_iso_date(date).then_some((outlet, date, body.trim()))
}

fn split_word(s: &str) -> Option<(&str, &str)> {
    let end = s.find(char::is_whitespace)?;
    Some((&s[..end], s[end..].trim_start_matches([' ', '\t'])))
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Builds a document from a raw-form text, or `None` if the text is not in that form.
pub fn parse_raw(id: String, text: &str) -> Option<Document<'static>> {
    let (outlet, date, body) = split_raw(text)?;
    let mut doc = Document::new(id, body.to_owned());
    doc.outlet = outlet.map(|o| Cow::Owned(o.to_owned()));
    doc.date = Some(Cow::Owned(date.to_owned()));
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_and_without_outlet() {
        assert_eq!(
            split_raw("MNA date 2024-06-01 Body text.\n\nMore."),
            Some((Some("MNA"), "2024-06-01", "Body text.\n\nMore."))
        );
        assert_eq!(
            split_raw(" date 2024-07-16 The meeting"),
            Some((None, "2024-07-16", "The meeting"))
        );
    }

    #[test]
    fn rejects_other_text() {
        assert_eq!(split_raw("The date is 2024-06-01"), None);
        assert_eq!(split_raw("MNA date 2024-6-01 x"), None);
        assert_eq!(split_raw("plain article text"), None);
        assert_eq!(split_raw(""), None);
    }
}
