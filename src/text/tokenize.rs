//! Tokenisers: the [`Tokenizer`] trait and the UAX#29 word tokeniser.

use unicode_segmentation::UnicodeSegmentation;

/// Splits normalised text into tokens.
pub trait Tokenizer: Send + Sync {
    /// Calls `sink` with each token of `text`, in order.
    fn tokenize<'t>(&self, text: &'t str, sink: &mut dyn FnMut(&'t str));

    /// The same, with a sink the compiler can inline (the hot path of shingling);
    /// tokenisers may override it with a monomorphised loop.
    fn tokenize_inline<'t, F: FnMut(&'t str)>(&self, text: &'t str, mut sink: F)
    where
        Self: Sized,
    {
        self.tokenize(text, &mut sink)
    }
}

/// Unicode words (UAX#29 word boundaries, keeping segments with a letter or digit), as
/// `unicode-segmentation`'s `unicode_words` gives them: `don't`, `u.s`, `3.5` and `1,000` are
/// one token each; every CJK ideograph is a token of its own.
///
/// ASCII text takes a byte-level path that implements the same rules (WB5-WB13b restricted
/// to ASCII) and is several times faster; a property test holds the two to agreement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    fn tokenize<'t>(&self, text: &'t str, sink: &mut dyn FnMut(&'t str)) {
        if text.is_ascii() {
            ascii_words(text, sink);
        } else {
            for w in text.unicode_words() {
                sink(w);
            }
        }
    }

    fn tokenize_inline<'t, F: FnMut(&'t str)>(&self, text: &'t str, mut sink: F) {
        if text.is_ascii() {
            ascii_words(text, &mut sink);
        } else {
            for w in text.unicode_words() {
                sink(w);
            }
        }
    }
}

/// Word-break classes of ASCII bytes (UAX#29 table 3).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// `_` (ExtendNumLet)
    Connector,
    /// `:` (MidLetter)
    MidLetter,
    /// `,` `;` (MidNum)
    MidNum,
    /// `.` `'` (MidNumLet and Single_Quote)
    MidNumLet,
    Other,
}

const fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Connector,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidNum,
        b'.' | b'\'' => Class::MidNumLet,
        _ => Class::Other,
    }
}

static CLASSES: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = class(i as u8);
        i += 1;
    }
    t
};

fn is_word(c: Class) -> bool {
    matches!(c, Class::Letter | Class::Digit | Class::Connector)
}

/// UAX#29 words of an ASCII string.
#[inline]
fn ascii_words<'t, F: FnMut(&'t str) + ?Sized>(text: &'t str, sink: &mut F) {
    let b = text.as_bytes();
    let cls = |i: usize| CLASSES[(b[i] & 0x7f) as usize];
    let n = b.len();
    let mut i = 0;
    while i < n {
        if !is_word(cls(i)) {
            i += 1;
            continue;
        }
        let start = i;
        let mut has_alnum = cls(i) != Class::Connector;
        i += 1;
        while i < n {
            let c = cls(i);
            if is_word(c) {
                has_alnum |= c != Class::Connector;
                i += 1;
                continue;
            }
            // WB6/WB7 (letter mid letter) and WB11/WB12 (digit mid digit).
            if i + 1 < n {
                let (prev, next) = (cls(i - 1), cls(i + 1));
                let letters = prev == Class::Letter
                    && next == Class::Letter
                    && matches!(c, Class::MidLetter | Class::MidNumLet);
                let digits = prev == Class::Digit
                    && next == Class::Digit
                    && matches!(c, Class::MidNum | Class::MidNumLet);
                if letters || digits {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        if has_alnum {
            sink(&text[start..i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        WordTokenizer.tokenize(s, &mut |w| v.push(w));
        v
    }

    #[test]
    fn ascii_rules() {
        assert_eq!(
            words("Don't stop: U.S. GDP rose 3.5% to $1,000.50;ok"),
            [
                "Don't", "stop", "U.S", "GDP", "rose", "3.5", "to", "1,000.50", "ok"
            ]
        );
        assert_eq!(
            words("a_b __ _x a:b a::b 1.a a.1 x1.2"),
            ["a_b", "_x", "a:b", "a", "b", "1", "a", "a", "1", "x1.2"]
        );
    }

    #[test]
    fn non_latin_scripts() {
        assert_eq!(words("москва, россия"), ["москва", "россия"]);
        assert_eq!(
            words("وزير الخارجية الإيراني"),
            ["وزير", "الخارجية", "الإيراني"]
        );
        assert_eq!(words("东京 是"), ["东", "京", "是"]);
        assert_eq!(words("سفیر ایران"), ["سفیر", "ایران"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn ascii_fast_path_agrees_with_unicode_segmentation(
            s in "[a-cA-C0-2_:,;.' \t\n\"!$%-]{0,40}"
        ) {
            let mut fast = Vec::new();
            ascii_words(&s, &mut |w| fast.push(w));
            let slow: Vec<&str> = s.unicode_words().collect();
            prop_assert_eq!(fast, slow);
        }
    }
}
