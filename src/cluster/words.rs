//! A word as the names' scan reads it from a text's bytes (`cluster/names.rs`, and the
//! readers it feeds): letters and digits, joined by a full stop, an apostrophe or, between
//! digits, a comma.

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
