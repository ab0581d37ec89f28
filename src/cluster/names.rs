//! Names: notices filled into one template that differ only in a name ("Franklin Insured
//! Tax-Free Income Fund" against "Franklin Puerto Rico Tax-Free Income Fund" declaring the
//! same dividend on the same day) share nearly every shingle and every figure. What tells
//! them apart is the name.
//!
//! Words here are letters and digits, with a full stop or an apostrophe between two of
//! them ("U.S", "don't") or a comma between two digits inside: a plain scan of the text
//! as written, which costs a fraction of a second segmentation of every text.
//!
//! A *name* is a run of up to [`MAX_RUN`] capitalised words (a first capital letter, or
//! every letter a capital) that are not month or weekday names and do not start a
//! sentence, broken by punctuation other than a hyphen, an apostrophe or an ampersand. A
//! longer run is a shouted line (a headline, a text in capitals), whose words are plain
//! words. The *masked text* is the text's words in order, each name replaced by one mark,
//! lower-cased, from the first run of capitalised words that begins after the first
//! [`DATELINE_TOKENS`] words: the headline and dateline, which outlets write their own way,
//! are left out, and the masked texts of two notices whose headlines differ in length
//! ("FRANKLIN INSURED TAX-FREE SETS PAYOUT", "FRANKLIN PUERTO RICO TAX-FREE SETS PAYOUT")
//! still begin at the same word.
//!
//! Two texts *name different things* when their masked texts are the same and some name
//! at the same place in both has other initials (the first letter of each of its words:
//! "fitfif" against "fprtfif"). Anything else a rewrite does (a synonym, a typo, a lower-
//! cased word, a sentence added, dropped or moved) changes the masked text and leaves the
//! rule silent; a typo inside a name keeps its initials. So the rule reaches only texts
//! that are word for word the same outside their names.
//!
//! Only texts of at most [`MAX_TEXT`] bytes (notices) are read. Each text keeps its masked
//! text's hash and its names' initials as [`Figure`]s marked
//! [`NAME`](super::figure::NAME) (so they travel where figures go: stage files, Spark), which
//! [`FigureCount`](super::FigureCount) sets apart from the numbers.

use super::figure::{Figure, WIDE, entries_of, entry};
use super::figures::{DATELINE_TOKENS, month_index};
use super::flashes::FlashReader;
use super::headings::push_heading;
use super::months::MonthReader;
use super::sessions::{push_sessions, session_bit, shouted};
use super::subjects::SubjectReader;
use super::template_figures::TemplateFigures;
use super::words::{char_at, word_len};
use crate::shingle::{combine_token_hashes, hash_token};

/// The longest text, in bytes, whose names are read: notices filled into a template are
/// short (on Reuters-21578, nine texts in ten are shorter). A long text word for word the
/// same as another outside its names is rare, and reading the names of every text would
/// cost a third of the time `neardup pairs` takes on the peers' corpus (400 words a text);
/// with this bound, about 7% (docs/benchmarks.md).
const MAX_TEXT: usize = 2_000;

/// The most words a name holds; a longer run of capitalised words is a shouted line.
const MAX_RUN: usize = 6;

/// The context of the masked text's entry.
const MASKED: u64 = 0x6d61_736b_6564_7478;

/// Marks a name's place in the masked text; the context of the names' initials.
const NAME_RUN: u64 = 0x6e61_6d65_5f72_756e;

/// The context of the names' words.
pub(super) const NAME_WORDS: u64 = 0x776f_7264_735f_6e6d;

/// The most names a text keeps entries for (their place is 8 bits).
const MAX_NAMES: usize = 255;

/// A weekday's name: capitalised, but no name.
fn weekday(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
    )
}

/// A function word: written "The" (not "THE", a line in capitals), it starts a sentence
/// after a headline with no full stop, and names nothing.
fn function_word(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "he"
            | "she"
            | "it"
            | "they"
            | "we"
            | "i"
            | "you"
            | "in"
            | "on"
            | "at"
            | "of"
            | "for"
            | "and"
            | "but"
            | "or"
            | "its"
            | "his"
            | "her"
            | "their"
            | "this"
            | "that"
            | "these"
            | "those"
            | "there"
            | "if"
            | "as"
            | "by"
            | "with"
    )
}

/// Whether a word is capitalised: its first letter, or every letter, a capital.
fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Collects the names of one text (see the module's notes).
#[derive(Debug, Default)]
pub struct NameCollector {
    /// The masked text so far: word hashes, and [`NAME_RUN`] for each name.
    masked: Vec<u64>,
    /// Each name's initials' hash and words' hash, in order.
    names: Vec<(u64, u64)>,
    /// The capitalised words being read: (word hash, initial's hash)...
    run: Vec<(u64, u64)>,
    /// ...how many of them follow a hyphen ("High-Yield" is one word of a name)...
    joined: usize,
    /// ...whether the last segment was a hyphen...
    hyphen: bool,
    /// ...and whether the run began among the first [`DATELINE_TOKENS`] words.
    in_dateline: bool,
    /// Whether the masked text has begun (at the first run of capitalised words after
    /// the dateline).
    started: bool,
    lower: String,
    /// The text's subjects (`cluster/subjects.rs`), read on the same scan.
    subjects: SubjectReader,
    /// The text's months written alone (`cluster/months.rs`), read on the same scan.
    months: MonthReader,
    /// The sessions the text's words in capitals name (`cluster/sessions.rs`; what its
    /// heading stamps is read apart, at the end).
    sessions: u8,
    /// The text's flash entries (`cluster/flashes.rs`): its heading read apart, first, and
    /// its words' spellings on the same scan...
    flash: FlashReader,
    /// ...when it is a flash with a placed word.
    in_flash: bool,
}

impl NameCollector {
    /// Appends to `out` the name entries of `text` (none when it has no names), unsorted.
    pub fn collect(&mut self, text: &str, out: &mut Vec<Figure>) {
        self.masked.clear();
        self.names.clear();
        self.run.clear();
        self.joined = 0;
        self.hyphen = false;
        self.in_dateline = false;
        self.started = false;
        self.subjects.clear();
        self.months.clear();
        self.sessions = 0;
        self.in_flash = self.flash.start(text);
        push_heading(text, out);
        if text.len() > MAX_TEXT {
            return;
        }
        self.scan(text);
        self.end_run();
        self.subjects.finish(text, out);
        self.months.finish(text, out);
        push_sessions(text, self.sessions, out);
        self.flash.finish(out);
        if self.names.is_empty() {
            return;
        }
        out.push(entry(MASKED, 0, combine_token_hashes(&self.masked)));
        for (i, &(initials, words)) in self.names.iter().take(MAX_NAMES).enumerate() {
            out.push(entry(NAME_RUN, i, initials));
            out.push(entry(NAME_WORDS, i, words));
        }
    }

    /// Reads the words of `text` and what lies between them, a character at a time: the
    /// plain reference that [`scan`](Self::scan) is held to.
    #[cfg(test)]
    fn scan_chars(&mut self, text: &str) {
        let mut words = 0u32;
        let mut sentence_start = true;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = char_at(text, i);
            if c.is_alphanumeric() {
                let len = word_len(&text[i..]);
                words += 1;
                let starts = std::mem::replace(&mut sentence_start, false);
                self.word(&text[i..i + len], i, starts, words <= DATELINE_TOKENS);
                self.hyphen = false;
                i += len;
                continue;
            }
            if c.is_whitespace() {
                let mut newlines = 0;
                while i < bytes.len() {
                    let w = char_at(text, i);
                    if !w.is_whitespace() {
                        break;
                    }
                    newlines += usize::from(w == '\n');
                    i += w.len_utf8();
                }
                if newlines >= 2 {
                    // A paragraph ends a sentence.
                    self.end_run();
                    self.subjects.stop(false);
                    self.months.stop();
                    sentence_start = true;
                }
                self.hyphen = false;
                continue;
            }
            i += c.len_utf8();
            if matches!(c, '.' | '!' | '?') {
                self.end_run();
                self.subjects.stop(true);
                self.months.stop();
                sentence_start = true;
            } else if !matches!(c, '-' | '\'' | '\u{2019}' | '&') {
                self.end_run();
                if matches!(c, '(' | ')') {
                    self.subjects.parenthesis(c == '(');
                }
            }
            self.hyphen = c == '-';
        }
    }

    /// `scan_chars` (a plain pass, for tests), a byte at a time where the text is ASCII (a
    /// property test holds the two to agreement).
    fn scan(&mut self, text: &str) {
        let b = text.as_bytes();
        let n = b.len();
        let mut words = 0u32;
        let mut sentence_start = true;
        let mut i = 0;
        while i < n {
            let c = b[i];
            if matches!(c, b' ' | b'\t'..=b'\r')
                || (!c.is_ascii() && char_at(text, i).is_whitespace())
            {
                let mut newlines = 0;
                while i < n {
                    if matches!(b[i], b' ' | b'\t'..=b'\r') {
                        newlines += usize::from(b[i] == b'\n');
                        i += 1;
                    } else if !b[i].is_ascii() && char_at(text, i).is_whitespace() {
                        i += char_at(text, i).len_utf8();
                    } else {
                        break;
                    }
                }
                if newlines >= 2 {
                    self.end_run();
                    self.subjects.stop(false);
                    self.months.stop();
                    sentence_start = true;
                }
                self.hyphen = false;
                continue;
            }
            if !c.is_ascii() {
                let ch = char_at(text, i);
                let len = if ch.is_alphanumeric() {
                    word_len(&text[i..])
                } else {
                    ch.len_utf8()
                };
                if ch.is_alphanumeric() {
                    words += 1;
                    let starts = std::mem::replace(&mut sentence_start, false);
                    self.word(&text[i..i + len], i, starts, words <= DATELINE_TOKENS);
                    self.hyphen = false;
                } else {
                    if !matches!(ch, '\u{2019}') {
                        self.end_run();
                    }
                    self.hyphen = false;
                }
                i += len;
                continue;
            }
            if c.is_ascii_alphanumeric() {
                let start = i;
                i += 1;
                loop {
                    while i < n && b[i].is_ascii_alphanumeric() {
                        i += 1;
                    }
                    let joins = i + 1 < n
                        && match b[i] {
                            b'.' | b'\'' => b[i + 1].is_ascii_alphanumeric(),
                            b',' => b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit(),
                            _ => false,
                        };
                    if !joins {
                        break;
                    }
                    i += 1;
                }
                if i < n && (!b[i].is_ascii() || (i + 1 < n && !b[i + 1].is_ascii())) {
                    // A letter of another script, or a curly apostrophe, may go on.
                    i = start + word_len(&text[start..]);
                }
                words += 1;
                let starts = std::mem::replace(&mut sentence_start, false);
                self.word(&text[start..i], start, starts, words <= DATELINE_TOKENS);
                self.hyphen = false;
                continue;
            }
            i += 1;
            if matches!(c, b'.' | b'!' | b'?') {
                self.end_run();
                self.subjects.stop(true);
                self.months.stop();
                sentence_start = true;
            } else if !matches!(c, b'-' | b'\'' | b'&') {
                self.end_run();
                if matches!(c, b'(' | b')') {
                    self.subjects.parenthesis(c == b'(');
                }
            }
            self.hyphen = c == b'-';
        }
    }

    /// Reads a word (`segment`, at byte `at` of the text): the masked text's, or a name's.
    fn word(&mut self, segment: &str, at: usize, starts: bool, dateline: bool) {
        let capital = capitalised(segment);
        if !capital
            && segment
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            // Most words: in lower case already, and no name.
            self.end_run();
            self.subjects.lower_span(segment, at);
            let number = segment.as_bytes()[0].is_ascii_digit();
            self.months.word(at, segment.len(), number, None);
            if self.started {
                self.masked.push(hash_token(segment));
            }
            return;
        }
        self.lower.clear();
        if segment.is_ascii() {
            self.lower.push_str(segment);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower
                .extend(segment.chars().flat_map(char::to_lowercase));
        }
        let word = hash_token(&self.lower);
        if self.in_flash && segment.chars().any(char::is_uppercase) {
            self.flash.word(&self.lower);
        }
        let alone = capital && !starts;
        let month = month_index(&self.lower);
        let month_number = month.filter(|_| alone).map(|i| i as u8 + 1);
        let number = self.lower.starts_with(|c: char| c.is_ascii_digit());
        self.months.word(at, segment.len(), number, month_number);
        if shouted(segment) {
            self.sessions |= session_bit(&self.lower);
        }
        if capital {
            let subject = month.is_none()
                && (!weekday(&self.lower) || self.lower == "sun")
                && !function_word(&self.lower);
            self.subjects
                .capitalised(&self.lower, word, subject, starts);
        } else {
            self.subjects.lower_word(&self.lower, word);
        }
        let plain = starts
            || !capital
            || month.is_some()
            || weekday(&self.lower)
            || (function_word(&self.lower) && segment.chars().skip(1).any(char::is_lowercase));
        if plain {
            self.end_run();
            if self.started {
                self.masked.push(word);
            }
        } else {
            let first = self.lower.chars().next().map_or(0, char::len_utf8);
            let initial = hash_token(&self.lower[..first]);
            self.joined += usize::from(self.hyphen && !self.run.is_empty());
            // A name begun in the dateline is the headline's: where the line falls in
            // it depends on how long the headline is.
            self.in_dateline |= self.run.is_empty() && dateline;
            self.run.push((word, initial));
        }
    }

    /// Closes the run of capitalised words being read: a name, or a shouted line.
    fn end_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        if self.in_dateline {
            // Left out, as the words before it.
        } else if self.run.len() - self.joined > MAX_RUN {
            self.started = true;
            self.masked.extend(self.run.iter().map(|&(w, _)| w));
        } else {
            self.started = true;
            self.masked.push(NAME_RUN);
            let initials: Vec<u64> = self.run.iter().map(|&(_, i)| i).collect();
            let words: Vec<u64> = self.run.iter().map(|&(w, _)| w).collect();
            self.names.push((
                combine_token_hashes(&initials),
                combine_token_hashes(&words),
            ));
        }
        self.run.clear();
        self.joined = 0;
        self.in_dateline = false;
    }
}

/// Every entry the names' scan gives `text` (names, subjects, months), sorted: for the
/// tests of the rules that read them.
#[cfg(test)]
pub(super) fn scanned(text: &str) -> Vec<Figure> {
    let mut out = Vec::new();
    NameCollector::default().collect(text, &mut out);
    out.sort_unstable();
    out
}

/// How many names at the same place of the same masked text have other initials in `a`
/// and `b` (both sorted, figures and name entries together), both names rare in the corpus
/// (not among the `templates`' figures); 0 when the masked texts differ or either has no names.
pub(crate) fn names_differ(a: &[Figure], b: &[Figure], templates: &TemplateFigures) -> u32 {
    match (entries_of(a, MASKED).next(), entries_of(b, MASKED).next()) {
        (Some(x), Some(y)) if x == y => {}
        _ => return 0,
    }
    let place = |f: Figure| f & WIDE;
    let at = |s: &[Figure], context: u64, p: u64| entries_of(s, context).find(|&f| place(f) == p);
    let rare = |s: &[Figure], p: u64| at(s, NAME_WORDS, p).is_some_and(|f| !templates.holds(f));
    // The same masked text has as many names in the same places: compare them in place.
    entries_of(a, NAME_RUN)
        .filter(|&x| {
            let p = place(x);
            at(b, NAME_RUN, p).is_some_and(|y| y != x) && rare(a, p) && rare(b, p)
        })
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::figure::{NAME, is_entry};
    use crate::cluster::template::counted;

    /// The names' entries of a text (without the subjects', `cluster/subjects.rs`).
    fn entries(text: &str) -> Vec<Figure> {
        let mut out = scanned(text);
        out.retain(|&f| {
            [MASKED, NAME_RUN, NAME_WORDS]
                .iter()
                .any(|&c| is_entry(f, c))
        });
        out
    }

    fn differ(a: &str, b: &str) -> u32 {
        names_differ(&entries(a), &entries(b), &TemplateFigures::default())
    }

    const HEAD: &str = "FRANKLIN FUND SETS PAYOUT Mthly div 7.1 cts vs 7.1 cts prior. ";

    #[test]
    fn headlines_of_other_lengths_leave_the_names_in_place() {
        let tail = "Mthly div 7.1 cts vs 7.1 cts prior Pay March 31 Record March 16 NOTE:";
        let a = format!(
            "FRANKLIN INSURED TAX-FREE SETS PAYOUT {tail} Franklin Insured Tax-Free Income Fund."
        );
        let b = format!(
            "FRANKLIN PUERTO RICO TAX-FREE SETS PAYOUT {tail} Franklin Puerto Rico Tax-Free Income Fund."
        );
        assert_eq!(differ(&a, &b), 1);
    }

    #[test]
    fn notices_of_other_funds_name_different_things() {
        let a = format!(
            "{HEAD}Pay March 31 Record March 16 NOTE: Franklin Insured Tax-Free Income Fund."
        );
        let b = format!(
            "{HEAD}Pay March 31 Record March 16 NOTE: Franklin Puerto Rico Tax-Free Income Fund."
        );
        let c = format!(
            "{HEAD}Pay March 31 Record March 16 NOTE: Franklin High-Yield Insured Tax-Free Income Fund."
        );
        assert_eq!(differ(&a, &b), 1);
        assert_eq!(differ(&a, &c), 1);
        assert_eq!(differ(&a, &a), 0);
    }

    #[test]
    fn copies_with_edits_name_the_same_things() {
        let a = format!(
            "{HEAD}Acme Corp said its board declared the payout. Shares of Acme Corp rose."
        );
        // A typo inside a name keeps its initials.
        assert_eq!(
            differ(
                &a,
                &format!(
                    "{HEAD}Acme Crop said its board declared the payout. Shares of Acme Corp rose."
                )
            ),
            0
        );
        // A rewrite outside the names changes the masked text: the rule is silent.
        assert_eq!(
            differ(
                &a,
                &format!(
                    "{HEAD}Widget Inc said its board approved the payout. Shares of Widget Inc rose."
                )
            ),
            0
        );
        // A sentence's first word and a month are no names.
        let m = format!("{HEAD}The payout was declared in March by Acme Corp.");
        assert_eq!(
            differ(
                &m,
                &format!("{HEAD}Its payout was declared in April by Acme Corp.")
            ),
            0
        );
        assert!(entries(&format!("{HEAD}The payout is due on Monday.")).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_agrees_with_the_plain_one(
            text in "([A-Z][a-z]{0,6}|[a-z]{1,6}|[0-9]{1,3}|May|April|CLOSING|NOON|SUN|ÉCU|[ .,'&!?:<>()-]|\n\n?|\t|[üÉ—’\u{a0}]){0,60}"
        ) {
            let mut a = NameCollector::default();
            a.in_flash = a.flash.start(&text);
            a.scan(&text);
            let mut b = NameCollector::default();
            b.in_flash = b.flash.start(&text);
            b.scan_chars(&text);
            b.end_run();
            a.end_run();
            proptest::prop_assert_eq!(&a.masked, &b.masked);
            proptest::prop_assert_eq!(&a.names, &b.names);
            let (mut sa, mut sb) = (Vec::new(), Vec::new());
            a.subjects.finish(&text, &mut sa);
            b.subjects.finish(&text, &mut sb);
            a.months.finish(&text, &mut sa);
            b.months.finish(&text, &mut sb);
            a.flash.finish(&mut sa);
            b.flash.finish(&mut sb);
            proptest::prop_assert_eq!(sa, sb);
            proptest::prop_assert_eq!(a.sessions, b.sessions);
        }
    }

    #[test]
    fn the_entries_keep_apart_from_each_other_and_from_figures() {
        let tops = [MASKED >> 40, NAME_RUN >> 40, NAME_WORDS >> 40];
        assert!(tops[0] != tops[1] && tops[1] != tops[2] && tops[0] != tops[2]);
        assert!(
            scanned(&format!("{HEAD}Ms Smith said."))
                .iter()
                .all(|f| f & NAME == NAME)
        );
        let e = entries(&format!("{HEAD}Ms Smith said."));
        assert_eq!(e.len(), 3);
        assert_eq!(e.iter().filter(|&&f| counted(f)).count(), 1);
    }

    #[test]
    fn a_name_in_many_documents_is_boilerplate() {
        use crate::shingle::ShingleSets;
        let text = |outlet: &str, story: &str| {
            format!("{HEAD}{story} was reported. Follow {outlet} on social media.")
        };
        let mut sets = ShingleSets::new();
        for story in ["a fire", "a flood", "a strike"] {
            for outlet in ["Metro Wire", "Coastal Chronicle"] {
                sets.push(&entries(&text(outlet, story)));
            }
        }
        let common = super::super::template::template_figures(&sets, 3, 100);
        let (a, b) = (
            entries(&text("Metro Wire", "a fire")),
            entries(&text("Coastal Chronicle", "a fire")),
        );
        assert_eq!(names_differ(&a, &b, &common), 0);
        assert_eq!(names_differ(&a, &b, &TemplateFigures::default()), 1);
    }

    #[test]
    fn shouted_lines_are_plain_words_and_datelines_are_skipped() {
        let a = format!("{HEAD}THE FUND SAID ITS BOARD DECLARED THE MONTHLY PAYOUT TODAY");
        assert!(entries(&a).is_empty());
        // A long text is no notice: its names are not read.
        let long = format!("{HEAD}{}", "Ms Smith said so. ".repeat(200));
        assert!(long.len() > MAX_TEXT && entries(&long).is_empty());
        assert!(!entries(&format!("{HEAD}Ms Smith said so.")).is_empty());
        // Names among the first words are the headline's, and so is one begun there.
        assert!(entries("Franklin Insured Tax-Free Income Fund sets payout").is_empty());
        let body = "General Motors of Canada Ltd, wholly owned by General Motors Corp, said.";
        assert_eq!(
            differ(
                &format!("GM <GM> CANADA FEBRUARY CAR SALES OFF 17.8 PCT {body}"),
                &format!("GM CANADA FEBRUARY CAR SALES OFF 17.8 PCT {body}")
            ),
            0
        );
        assert_eq!(
            differ(
                &format!("{HEAD}Ms Smith said."),
                &format!("{HEAD}Ms Jones said.")
            ),
            1
        );
    }
}
