//! Normalisation: HTML entities, NFKC, full case folding, and folding of typographic variants.

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;

/// Turns text into the canonical form that tokens are taken from.
///
/// In order: HTML entities (`&amp;`, `&#8217;` ...) are decoded; the text is put in Unicode
/// NFKC form (full-width forms, ligatures, compatibility spaces); it is case folded
/// (full Unicode default case folding, so `Straße` and `STRASSE` agree); then typographic
/// variants are folded: curly quotes and primes to `'` and `"`, dashes and minus signs to
/// `-`, every Unicode space to a plain space, and invisible characters (soft hyphen,
/// zero-width spaces and joiners, BOM) removed.
///
/// Pure ASCII text takes a fast path (ASCII lower-casing) that gives the same result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalizer {
    entities: bool,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer { entities: true }
    }
}

impl Normalizer {
    /// The default normaliser (entities decoded).
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether HTML entities are decoded (default true).
    pub fn decode_entities(mut self, yes: bool) -> Self {
        self.entities = yes;
        self
    }

    /// Normalises `text` into `out` (cleared first).
    pub fn normalize_into(&self, text: &str, out: &mut String) {
        out.clear();
        let decoded;
        let text = if self.entities && text.contains('&') {
            decoded = html_escape::decode_html_entities(text);
            decoded.as_ref()
        } else {
            text
        };
        out.reserve(text.len());
        // ASCII runs are only lower-cased; each run of non-ASCII characters, with the ASCII
        // character before it (a combining mark may compose with it), goes through NFKC,
        // case folding and typographic folding. No composition pairs an ASCII second
        // character, so the result equals normalising the whole text at once.
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let Some(off) = bytes[start..].iter().position(|b| !b.is_ascii()) else {
                push_ascii_lower(out, &text[start..]);
                break;
            };
            let first_non_ascii = start + off;
            let slow_start = if first_non_ascii > start {
                first_non_ascii - 1
            } else {
                start
            };
            push_ascii_lower(out, &text[start..slow_start]);
            let end = bytes[first_non_ascii..]
                .iter()
                .position(u8::is_ascii)
                .map_or(bytes.len(), |i| first_non_ascii + i);
            normalize_slow(&text[slow_start..end], out);
            start = end;
        }
    }

    /// Normalises `text` into a new string.
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::new();
        self.normalize_into(text, &mut out);
        out
    }
}

fn push_ascii_lower(out: &mut String, s: &str) {
    let from = out.len();
    out.push_str(s);
    out[from..].make_ascii_lowercase();
}

fn normalize_slow(s: &str, out: &mut String) {
    for c in s.chars().nfkc().default_case_fold() {
        if let Some(c) = fold_typographic(c) {
            out.push(c);
        }
    }
}

/// Maps a typographic variant to its plain form; `None` drops an invisible character.
fn fold_typographic(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}'
        | '\u{02BC}' | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
        | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => return None,
        c if c != ' ' && c.is_whitespace() && c != '\n' && c != '\r' && c != '\t' => ' ',
        c => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        Normalizer::new().normalize(s)
    }

    #[test]
    fn folds_case_width_and_typography() {
        assert_eq!(
            n("Regime\u{2019}s \u{201C}Crimes\u{201D}"),
            "regime's \"crimes\""
        );
        assert_eq!(n("Straße STRASSE"), "strasse strasse");
        assert_eq!(n("ＦＵＬＬ width"), "full width");
        assert_eq!(n("a\u{00A0}b\u{2009}c\u{3000}d"), "a b c d");
        assert_eq!(
            n("2020\u{2013}2024 \u{2014} co\u{00AD}operate"),
            "2020-2024 - cooperate"
        );
        assert_eq!(n("ﬁnance"), "finance");
        assert_eq!(n("AT&amp;T &#8220;x&#8221;"), "at&t \"x\"");
    }

    #[test]
    fn scripts_other_than_latin() {
        assert_eq!(n("МОСКВА Москва"), "москва москва");
        assert_eq!(n("ΣΊΣΥΦΟΣ"), "σίσυφοσ");
        assert_eq!(n("وزير الخارجية"), "وزير الخارجية");
        assert_eq!(n("東京ﾃﾚﾋﾞ"), "東京テレビ");
    }

    proptest::proptest! {
        #[test]
        fn segmented_path_equals_whole_text_path(
            s in "[a-zA-Z .'\u{301}\u{308}\u{2019}\u{201C}\u{2014}\u{A0}\u{FF21}\u{DF}\u{130}\u{3A3}\u{1100}\u{1161}\u{FB01}é東]{0,30}"
        ) {
            let mut whole = String::new();
            normalize_slow(&s, &mut whole);
            proptest::prop_assert_eq!(n(&s), whole);
        }
    }

    #[test]
    fn ascii_fast_path_matches_general_path() {
        let s = "The U.S. Dollar ROSE 3.5% -- 'quoted' \"text\" \t end";
        let mut general = String::new();
        for c in s.chars().nfkc().default_case_fold() {
            general.extend(fold_typographic(c));
        }
        assert_eq!(n(s), general);
    }
}
