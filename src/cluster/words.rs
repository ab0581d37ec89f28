//! A word as the names' scan reads it from a text's bytes (`cluster/names.rs`, and the
//! readers it feeds): letters and digits, joined by a full stop, an apostrophe or, between
//! digits, a comma; and the words of a heading, as the rules reading one walk them (the
//! desk's marks and the marks of urgency they leave out, a ticker in angle brackets).

use crate::shingle::hash_token;

/// The character that starts at byte `i` of `text` (a character boundary).
pub(super) fn char_at(text: &str, i: usize) -> char {
    match text.as_bytes()[i] {
        b if b.is_ascii() => char::from(b),
        _ => text[i..].chars().next().unwrap_or(' '),
    }
}

/// The first line of `text`, white space before it left out: where a wire's heading stands.
pub(super) fn first_line(text: &str) -> &str {
    let text = text.trim_start();
    &text[..text.find('\n').unwrap_or(text.len())]
}

/// The length in bytes of the word `text` starts with: letters and digits, with a full
/// stop or an apostrophe between two of them ("U.S", "7.1", "don't") and a comma between
/// two digits ("25,779") inside it.
pub(super) fn word_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut last = ' ';
    while i < bytes.len() {
        let c = char_at(text, i);
        if c.is_alphanumeric() {
            i += c.len_utf8();
            last = c;
            continue;
        }
        let after = i + c.len_utf8();
        let next = (after < bytes.len()).then(|| char_at(text, after));
        let joins = match c {
            '.' | '\'' | '\u{2019}' => next.is_some_and(char::is_alphanumeric),
            ',' => last.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
            _ => false,
        };
        if !joins {
            break;
        }
        i = after;
    }
    i
}

/// The desk's marks that open a heading sent again ("CORRECTED-INSITUFORM OF NORTH
/// AMERICA", "RPT-INSITUFORM OF NORTH AMERICA"): what was done to the text, not what it is
/// about, so no heading word.
pub(super) const SLUGS: &[&str] = &[
    "CORRECTED",
    "CORRECTION",
    "CORRECTS",
    "REFILE",
    "REFILED",
    "REPEAT",
    "REPEATED",
    "RPT",
    "UPDATE",
    "UPDATED",
];

/// A wire's marks of urgency, read where a heading opens ("FLASH OMAHA HOGS UP 1.00 DLR"):
/// how fast the text was sent, not what it is about, so no heading word. (Further on, a word
/// of the heading. A heading that opens with "FLASH FLOODS" loses a word that is no name.)
pub(super) const URGENT_MARKS: &[&str] = &["FLASH", "NEWSFLASH", "URGENT"];

/// Whether a word is letters alone.
pub(super) fn letters_only(word: &str) -> bool {
    word.chars().all(char::is_alphabetic)
}

/// Calls `each` with every word of `text` and whether it stands inside parentheses or
/// angle brackets, until it returns false.
pub(super) fn for_each_word<'t>(text: &'t str, mut each: impl FnMut(&'t str, bool) -> bool) {
    let mut depth = 0u32;
    let mut i = 0;
    while i < text.len() {
        let c = char_at(text, i);
        if c.is_alphanumeric() {
            let word = &text[i..i + word_len(&text[i..])];
            if !each(word, depth > 0) {
                return;
            }
            i += word.len();
            continue;
        }
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += c.len_utf8();
    }
}

/// The hash of a word lower-cased.
pub(super) fn lower_hash(word: &str, buf: &mut String) -> u64 {
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
    hash_token(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_hold_inner_stops_apostrophes_and_thousands() {
        fn first(t: &str) -> &str {
            &t[..word_len(t)]
        }
        assert_eq!(first("U.S. Dollar"), "U.S");
        assert_eq!(first("7.1 cts"), "7.1");
        assert_eq!(first("25,779 units"), "25,779");
        assert_eq!(first("don't go"), "don't");
        assert_eq!(first("Poor\u{2019}s rating"), "Poor\u{2019}s");
        assert_eq!(first("Tax-Free"), "Tax");
        assert_eq!(first("NOTE: Franklin"), "NOTE");
        assert_eq!(first("end. Next"), "end");
        assert_eq!(first("Paris, France"), "Paris");
        assert_eq!(first("Zürich's"), "Zürich's");
    }
}
