//! Flashes: a wire's alerts are one line in capitals, often nothing more ("SUN RAISES
//! CRUDE POSTINGS 50 CTS, EFFECTIVE TODAY, WTI TO 17.50 dlrs/bbl", then "PHILLIPS RAISES
//! CRUDE POSTINGS 50 CTS EFFECTIVE TODAY..."; "LONDON COFFEE OPTION TRADES MORNING - APR 7
//! Business nil.", then "LONDON COCOA OPTION TRADES..."). Two companies doing the same thing
//! the same day, or two markets' nil reports, share every figure and nearly every word, and
//! a flash has no body in which the [subjects](super::subjects) or the
//! [names](super::names) could be read: in capitals, a name looks like any other word. What
//! tells them apart is the word the heading opens with, where the other opens with its own.
//!
//! A *flash* is a text of at most [`MAX_FLASH`] bytes. Its *heading* is its words up to the
//! first with a lower-case letter, leaving out those inside parentheses or angle brackets
//! (a ticker, "`<P>`", an embargo) and the desk's marks of a text sent again ([`SLUGS`]:
//! "CORRECTED", "RPT"), and a mark of urgency opening it ([`URGENT_MARKS`]: "FLASH OMAHA
//! HOGS UP 1.00 DLR"). A *place* is two words of letters alone that follow each
//! other in the heading, the first of them among its first [`PLACE_WITHIN`] words
//! ("RAISES CRUDE"), or the heading's start; the words of the heading before a place, of
//! letters alone and at least three letters each, are *placed* there ("SUN", "CHASE
//! MANHATTAN"). A word so placed that opens a heading standing on a line of its own is
//! placed at the heading's start too ("OMAHA" in "OMAHA HOGS UP 1.00 DLR", against "SIOUX
//! CITY HOGS STEADY/UP 1.25 DLR": two markets' reports whose words after the name
//! differ); a dateline's city ("RIO DE JANEIRO, Jan 9 (Reuters) -") opens a line with lower
//! case, and an outlet writes its own.
//!
//! Two flashes *open apart* when each has a word placed where the other places one of its
//! own, that the other never writes with a capital letter, not even spelt near it, and both
//! rare among the flashes read (in fewer than one in a hundred). A rare word a heading opens
//! with is a name, which a text writes with a capital (in its heading, or in its body,
//! "Phillips Petroleum Corp"); spelling the words in lower case too, common words, would
//! cost about three times as much on a wire archive (Reuters, in callgrind's instructions:
//! 1.036x the 300-byte flashes' build, against 1.011x for the words with a capital). A re-sent flash names what it named: it
//! fixes a typo ("SVEECO" to "VEECO": the same last four letters), spells a word out or
//! cuts it ("BRAZILIAN", "BRAZIL": the same first four), or rewords a common verb ("SAYS",
//! "REPORTS"), and keeps the rest. Words are near when they have the same first four
//! letters, or the same last four, or the same first two letters and last letter and a
//! length within one (a letter mistyped); a word of three letters is near any word it
//! begins.
//!
//! The entries travel with the names' (the heading read apart, before the names' scan, and
//! the spelling of every word with a capital on that scan), only for a flash with a placed
//! word.

use super::figure::{Figure, entry};
use super::subjects::{Placed, placed_apart};
use super::template_figures::TemplateFigures;
use super::words::{SLUGS, URGENT_MARKS, first_line, for_each_word, letters_only, lower_hash};
use crate::shingle::combine_token_hashes;

/// The longest text, in bytes, that is a flash: an alert, or a heading and a paragraph
/// ("PHILLIPS `<P>` RAISES CRUDE OIL PRICES" and three sentences on it are 362 bytes).
const MAX_FLASH: usize = 500;

/// The place of the word a heading opens with (a place is otherwise the hash of two
/// words).
const OPENING: u64 = 0x6f70_656e_696e_675f;

/// How far into a heading a place may begin: where the heading's opening words end
/// ("MARINE MIDLAND BANK CUTS PRIME").
const PLACE_WITHIN: usize = 5;

/// The fewest letters of a placed word ("SUN", not "S" or "NA").
const MIN_LETTERS: usize = 3;

/// The context of a placed word (counted for document frequencies).
const FLASH_WORD: u64 = 0x6677_6f72_6473_5f5f;

/// The context of the spelling keys a placed word is near to.
const FLASH_NEAR: u64 = 0x666e_6561_7262_795f;

/// The context of a placed word's places.
const FLASH_AT: u64 = 0x6670_6c61_6365_5f5f;

/// The context of the spelling keys of every word a flash writes.
const FLASH_SPELT: u64 = 0x6673_7065_6c74_5f5f;

/// The context of the entry every flash read holds (counted for document frequencies).
const FLASH_READ: u64 = 0x6672_6561_645f_5f5f;

/// The flashes' contexts.
const FLASHES: Placed = Placed {
    word: FLASH_WORD,
    near: FLASH_NEAR,
    at: FLASH_AT,
    spelt: FLASH_SPELT,
    read: FLASH_READ,
};

/// Seeds the spelling key of a word's first three letters...
const FIRST3: u64 = 0x6669_7273_7433_6b79;
/// ...of its first four...
const FIRST4: u64 = 0x6669_7273_7434_6b79;
/// ...of its last four...
const LAST4: u64 = 0x6c61_7374_345f_6b79;
/// ...and of its shape (first two letters, last letter, length).
const SHAPE: u64 = 0x666c_7368_6170_6573;

/// Whether [`TemplateFigures`] counts a flash entry: the placed words and the flashes read.
pub(super) fn is_counted(f: Figure) -> bool {
    FLASHES.counts(f)
}

/// The key of three or four letters of a word.
fn letters_key(seed: u64, letters: &[char]) -> u64 {
    let mut parts = [seed, 0, 0, 0, 0];
    for (part, &c) in parts[1..].iter_mut().zip(letters) {
        *part = u64::from(c);
    }
    combine_token_hashes(&parts[..=letters.len().min(4)])
}

/// The key of a word's shape: its first two letters, its last, and a length.
fn shape_key(letters: &[char], len: usize) -> u64 {
    let n = letters.len();
    combine_token_hashes(&[
        SHAPE,
        u64::from(letters[0]),
        u64::from(letters[1]),
        u64::from(letters[n - 1]),
        len as u64,
    ])
}

/// Appends the spelling keys a word (its letters, lower-cased) writes: those its first
/// three and first four letters, its last four, and its shape give.
fn spelt_keys(letters: &[char], out: &mut Vec<u64>) {
    let n = letters.len();
    if n >= 3 {
        out.push(letters_key(FIRST3, &letters[..3]));
    }
    if n >= 4 {
        out.push(letters_key(FIRST4, &letters[..4]));
        out.push(letters_key(LAST4, &letters[n - 4..]));
    }
    if n >= 5 {
        out.push(shape_key(letters, n));
    }
}

/// Appends the spelling keys a placed word (its letters, lower-cased, at least
/// [`MIN_LETTERS`]) is near to: of three letters, any word it begins; longer, the same
/// first four or last four letters, and from five, the shape with a length within one.
fn near_keys(letters: &[char], out: &mut Vec<u64>) {
    let n = letters.len();
    if n == 3 {
        out.push(letters_key(FIRST3, letters));
        return;
    }
    out.push(letters_key(FIRST4, &letters[..4]));
    out.push(letters_key(LAST4, &letters[n - 4..]));
    if n >= 5 {
        out.extend((n - 1..=n + 1).map(|len| shape_key(letters, len)));
    }
}

/// A word's letters, lower-cased, into `buf`.
fn lower_into(word: &str, buf: &mut Vec<char>) {
    buf.clear();
    if word.is_ascii() {
        buf.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Whether a word has a lower-case letter.
fn has_lower(word: &str) -> bool {
    if word.is_ascii() {
        word.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        word.chars().any(char::is_lowercase)
    }
}

/// Reads the flash entries of one text: its placed words from its heading, before the
/// names' scan, and the spelling keys of its words on that scan (only for a flash with a
/// placed word).
#[derive(Debug, Default)]
pub(super) struct FlashReader {
    /// The placed words' entries (none when the text is no flash or places no word).
    entries: Vec<Figure>,
    /// The spelling keys of the words read so far.
    keys: Vec<u64>,
    /// A word's letters, lower-cased.
    letters: Vec<char>,
    /// A word lower-cased.
    lower: String,
}

impl FlashReader {
    /// Starts a new text: reads its heading. Returns whether the text is a flash with a
    /// placed word, whose words [`word`](Self::word) is then to read.
    pub(super) fn start(&mut self, text: &str) -> bool {
        self.entries.clear();
        self.keys.clear();
        if text.len() > MAX_FLASH {
            return false;
        }
        // The heading's first words: outside brackets, before the first in lower case.
        let mut heading = [""; PLACE_WITHIN + 1];
        let mut len = 0;
        for_each_word(text, |word, bracketed| {
            if has_lower(word) {
                return false;
            }
            let mark = |marks: &[&str]| marks.iter().any(|s| s.eq_ignore_ascii_case(word));
            let urgent = len == 0 && mark(URGENT_MARKS);
            if !(bracketed || urgent || mark(SLUGS)) {
                heading[len] = word;
                len += 1;
            }
            len < heading.len()
        });
        let heading = &heading[..len];
        // The places, by where they begin.
        let mut places = [None; PLACE_WITHIN];
        for k in 1..heading.len().saturating_sub(1) {
            let (x, y) = (heading[k], heading[k + 1]);
            if letters_only(x) && letters_only(y) {
                let x = lower_hash(x, &mut self.lower);
                let y = lower_hash(y, &mut self.lower);
                places[k] = Some(combine_token_hashes(&[x, y]));
            }
        }
        // The placed words, each once (a word again further on has fewer places after
        // it), numbered from 1, with the places after them, and the opening word with the
        // heading's start too when the heading is a line of its own (not a dateline's
        // city, "DELHI, Jan 9 (Coastal Chronicle) -").
        let line = !first_line(text).chars().any(char::is_lowercase);
        let mut number = 0;
        for (j, &word) in heading.iter().enumerate() {
            let later = places.get(j + 1..).unwrap_or(&[]).iter().flatten();
            let opening = (j == 0 && line && later.clone().next().is_some()).then_some(OPENING);
            let mut after = opening.iter().chain(later).peekable();
            if after.peek().is_none()
                || !letters_only(word)
                || word.chars().count() < MIN_LETTERS
                || heading[..j].contains(&word)
            {
                continue;
            }
            number += 1;
            let hash = lower_hash(word, &mut self.lower);
            self.entries.push(entry(FLASH_WORD, number, hash));
            lower_into(word, &mut self.letters);
            near_keys(&self.letters, &mut self.keys);
            let near = self
                .keys
                .drain(..)
                .map(|key| entry(FLASH_NEAR, number, key));
            self.entries.extend(near);
            let at = after.map(|&place| entry(FLASH_AT, number, place));
            self.entries.extend(at);
        }
        !self.entries.is_empty()
    }

    /// A word of the text (of a flash with a placed word) written with a capital letter,
    /// lower-cased.
    pub(super) fn word(&mut self, lower: &str) {
        lower_into(lower, &mut self.letters);
        spelt_keys(&self.letters, &mut self.keys);
    }

    /// Appends to `out` the text's flash entries, unsorted.
    pub(super) fn finish(&mut self, out: &mut Vec<Figure>) {
        if self.entries.is_empty() {
            return;
        }
        out.push(entry(FLASH_READ, 0, FLASH_READ));
        out.append(&mut self.entries);
        self.keys.sort_unstable();
        self.keys.dedup();
        out.extend(self.keys.drain(..).map(|k| entry(FLASH_SPELT, 0, k)));
    }
}

/// Whether two texts (their figures and entries, sorted) are flashes that open apart (see
/// the module's notes), with the placed words' document frequencies in `templates`.
pub(crate) fn flashes_differ(a: &[Figure], b: &[Figure], templates: &TemplateFigures) -> bool {
    placed_apart(a, b, templates, &FLASHES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::FigureCount;
    use crate::cluster::figure::{entries_of, is_entry};
    use crate::cluster::subjects::value;
    use crate::shingle::ShingleSets;

    fn entries(text: &str) -> Vec<Figure> {
        crate::cluster::names::scanned(text)
    }

    fn differ(a: &str, b: &str) -> bool {
        let (a, b) = (entries(a), entries(b));
        let count = FigureCount::of(&a, &b);
        assert_eq!(
            count.flashes,
            flashes_differ(&a, &b, &TemplateFigures::default())
        );
        assert_eq!(count.flashes, count.flashes && count.conflict());
        count.flashes
    }

    const SUN: &str = "SUN RAISES CRUDE POSTINGS 50 CTS, EFFECTIVE TODAY, WTI TO 17.50\ndlrs/bbl";

    #[test]
    fn flashes_opening_with_other_names_differ() {
        let phillips = SUN.replace("SUN", "PHILLIPS");
        assert!(differ(SUN, &phillips));
        assert!(differ(&phillips, SUN));
        assert!(!differ(SUN, SUN));
        // Two words for one: "CHASE MANHATTAN" against "MANUFACTURERS HANOVER".
        let chase = "CHASE MANHATTAN RAISES PRIME RATE TO 7-3/4 PCT FROM 7-1/2, EFFECTIVE TODAY";
        let hanover = chase.replace("CHASE MANHATTAN", "MANUFACTURERS HANOVER");
        assert!(differ(chase, &hanover));
        // After a word both open with: two markets' nil reports.
        let coffee = "LONDON COFFEE OPTION TRADES MORNING - APR 7\n    Business nil.";
        assert!(differ(coffee, &coffee.replace("COFFEE", "COCOA")));
    }

    #[test]
    fn two_markets_reports_opening_with_their_names_differ() {
        // The words after the name differ ("HOGS UP", "HOGS STEADY"): no place but the
        // heading's start in common.
        let kestrel = "FLASH KESTREL HOGS UP 1.00 DLR - USDA\n\nbarrow and gilt prices rose \
                       1.00 dlr in active trade, the usda said. us 1-3 220-260 lbs 51.00-51.50.";
        let orvale = "ORVALE FALLS HOGS STEADY/UP 1.25 DLR - USDA\n\nbarrow and gilt prices \
                      were mostly 1.00 dlr higher, instances up 1.25, in active trade, the usda \
                      said. us 1-3 220-260 lbs 51.00-51.50, near 360 head early 50.50-51.00.";
        assert!(differ(kestrel, orvale));
        assert!(differ(orvale, kestrel));
        // The mark of urgency is no name: the same market's report, sent as a flash and
        // then in full, opens alike.
        let full = kestrel.replace("FLASH ", "").replace("rose", "rose mostly");
        assert!(!differ(kestrel, &full));
        // A dateline's city, an outlet's own, is no heading's start.
        let (rio, york) = (
            "RIO DE JANEIRO, Jan 9 (Kestrel News) - A court blocked the merger today.",
            "NEW YORK CITY, Jan 8 (Orvale Post) - A court blocked the merger today.",
        );
        assert!(!differ(rio, york));
        assert!(differ(
            &rio.replace(", Jan 9 (Kestrel News) -", "\n"),
            &york.replace(", Jan 8 (Orvale Post) -", "\n")
        ));
        // One text opening with the name the other opens with, or writing it: alike.
        assert!(!differ(kestrel, &orvale.replace("ORVALE FALLS", "KESTREL")));
        assert!(!differ(kestrel, &format!("{orvale} Kestrel steady.")));
    }

    #[test]
    fn a_flash_re_sent_opens_alike() {
        for (a, b) in [
            // A typo fixed, a word cut or spelt out, both near.
            (
                "SVEECO INSTRUMENTS INC SETS QUARTERLY",
                "VEECO INSTRUMENTS INC SETS QUARTERLY",
            ),
            (
                "BRAZILIAN UNION PROPOSES GENERAL STRIKE",
                "BRAZIL UNION PROPOSES GENERAL STRIKE",
            ),
            (
                "FIELDCOR BANK RAISES PRIME RATE",
                "FIDELCOR BANK RAISES PRIME RATE",
            ),
            // A word added or dropped, nothing in its place.
            (
                "KESTREL RAISES PRIME RATE TO 8 PCT",
                "KESTREL BANK RAISES PRIME RATE TO 8 PCT",
            ),
            (
                "UK UNEMPLOYMENT FELL 44,100",
                "(EMBARGOED) UK UNEMPLOYMENT FELL 44,100",
            ),
            // A text sent again, marked by the desk.
            (
                "CORRECTED-INSITUFORM OF NORTH AMERICA INC<INSUA>\n\n4th qtr",
                "RPT-INSITUFORM OF NORTH AMERICA INC <INSUA> NET\n\n4th qtr",
            ),
            (
                "CORRECTION - KESTREL RAISES PRIME RATE",
                "KESTREL RAISES PRIME RATE",
            ),
            // The name the other opens with written in its text.
            (
                "MOBIL RAISES PUMP PRICES",
                "SHELL RAISES PUMP PRICES, AFTER MOBIL",
            ),
            // A ticker is no heading word.
            (
                "KESTREL <KST> RAISES PRIME RATE",
                "KESTREL <ORVL> RAISES PRIME RATE",
            ),
        ] {
            assert!(!differ(a, b), "{a} | {b}");
        }
        // Three letters: near any word they begin.
        assert!(!differ(SUN, &SUN.replace("SUN", "SUNDSTRAND")));
        assert!(differ(SUN, &SUN.replace("SUN", "SUPERIOR")));
        // A mark of the desk's does not hide the name after it.
        assert!(differ(
            &format!("RPT-{SUN}"),
            &SUN.replace("SUN", "PHILLIPS")
        ));
    }

    #[test]
    fn a_heading_and_a_paragraph_are_a_flash() {
        let text = |company: &str, name: &str| {
            format!(
                "{company} RAISES CRUDE OIL PRICES\n\n{name} said it raised the contract price \
                 it will pay for all grades of crude oil by 50 cts a barrel, effective Oct 16. \
                 The increase brings the company's postings for West Texas Intermediate to \
                 19.00 dlrs a barrel. {name} last changed its crude oil postings on Sept 9."
            )
        };
        let (a, b) = (
            text("PHILLIPS <P>", "Phillips Petroleum Corp"),
            text(
                "SOUTHLAND <SLC> UNIT",
                "Citgo Petroleum Corp, a subsidiary of Southland,",
            ),
        );
        assert!(
            a.len() > 300 && b.len() <= MAX_FLASH,
            "{} {}",
            a.len(),
            b.len()
        );
        assert!(differ(&a, &b));
    }

    #[test]
    fn only_the_opening_words_of_a_short_heading_are_read() {
        // Past the heading's first five words: no place.
        let a = "WEST TEXAS OIL FIELD GROUP KESTREL RAISES PRIME RATE";
        assert!(!differ(a, &a.replace("KESTREL", "ORVALE")));
        // In lower case, the subjects' to read, not a flash's.
        let b = "Kestrel raises prime rate to 8 pct";
        assert!(!differ(b, &b.replace("Kestrel", "Orvale")));
        // A long text is no flash.
        let long = format!(
            "{SUN}\n\n{}",
            "The company said prices rose again. ".repeat(14)
        );
        assert!(long.len() > MAX_FLASH);
        assert!(!differ(&long, &long.replacen("SUN", "PHILLIPS", 1)));
        assert!(!entries(&long).iter().any(|&f| is_entry(f, FLASH_READ)));
    }

    #[test]
    fn a_word_many_flashes_open_with_is_common() {
        let flash = |bank: &str, what: &str| format!("{bank} BANK {what} PRIME RATE TO 8 PCT");
        let mut sets = ShingleSets::new();
        for what in ["RAISES", "CUTS", "HOLDS", "REVIEWS"] {
            for bank in ["KESTREL", "ORVALE"] {
                sets.push(&entries(&flash(bank, what)));
            }
        }
        let (a, b) = (
            entries(&flash("KESTREL", "RAISES")),
            entries(&flash("ORVALE", "RAISES")),
        );
        assert!(flashes_differ(&a, &b, &TemplateFigures::default()));
        // In 4 of the 8 flashes read, with a cut of 3: common.
        let common = crate::cluster::template_figures(&sets, 3, 100);
        assert!(!flashes_differ(&a, &b, &common));
    }

    #[test]
    fn the_names_scan_spells_every_word_with_a_capital_as_a_plain_pass_does() {
        for text in [
            SUN,
            "LONDON COFFEE OPTION TRADES MORNING - APR 7\n    Business nil.",
            "KESTREL (ORVALE) <KST> RAISES PRIME RATE: Zürich's U.S. 25,779 don't ÉCU",
        ] {
            let e = entries(text);
            assert!(e.iter().any(|&f| is_entry(f, FLASH_READ)), "{text}");
            let read: Vec<u64> = entries_of(&e, FLASH_SPELT).map(value).collect();
            let (mut letters, mut keys) = (Vec::new(), Vec::new());
            for_each_word(text, |word, _| {
                if word.chars().any(char::is_uppercase) {
                    lower_into(word, &mut letters);
                    spelt_keys(&letters, &mut keys);
                }
                true
            });
            let mut plain: Vec<u64> = keys
                .iter()
                .map(|&k| value(entry(FLASH_SPELT, 0, k)))
                .collect();
            plain.sort_unstable();
            plain.dedup();
            assert_eq!(read, plain, "{text}");
        }
    }

    #[test]
    fn the_entries_keep_apart_and_only_words_and_flashes_count() {
        let tops = [FLASH_WORD, FLASH_NEAR, FLASH_AT, FLASH_SPELT, FLASH_READ].map(|c| c >> 40);
        for (i, x) in tops.iter().enumerate() {
            assert!(tops[i + 1..].iter().all(|y| y != x));
        }
        let e = entries(SUN);
        assert!(e.iter().any(|&f| is_entry(f, FLASH_READ)));
        assert!(e.iter().any(|&f| is_entry(f, FLASH_AT)));
        assert!(
            e.iter()
                .filter(|&&f| is_counted(f))
                .all(|&f| is_entry(f, FLASH_WORD) || is_entry(f, FLASH_READ))
        );
    }
}
