//! Datelines: "LIMA, Sept 8 (Crescent Times) -" says where and on which day an outlet filed
//! its text. That date is no figure of the story: each outlet running it writes its own, and
//! a copy of a copy may keep its source's after its own ("MADRID, Sept 16 (Riverside
//! Gazette) - Analysts voiced concern on Wednesday. LIMA, Sept 8 (Crescent Times) -
//! Sweden's..."), or after a lede. The figures leave out the dates among a text's first
//! words (`DATELINE_TOKENS`); this finds the datelines further in by their form, read on
//! the text as written (the analyser's tokens have lost case and punctuation): a word with a
//! capital, a comma, a month and a day (a year may follow), and an opening parenthesis.
//! For texts published days apart, the dates of the day before, of and after a text's own
//! publication are no evidence either ([`places_around`]): its dateline's, whatever its
//! form.

use super::figure::{Figure, day_place, is_date_on};
use super::figures::{MONTHS, month};

/// Removes from `figures` the dates of the datelines of `text` (by day, each date however
/// often it stands).
pub(crate) fn without_datelines(text: &str, figures: &mut Vec<Figure>) {
    let places: Vec<u64> = datelines(text).collect();
    if !places.is_empty() {
        figures.retain(|&f| !places.iter().any(|&p| is_date_on(f, p)));
    }
}

/// The [`day_place`]s of the day before `day` (days since 1970-01-01), the day and the day
/// after, written month first ("March 3") or day first ("3 March"), sorted: the dates a
/// dateline of a text published that day writes.
pub(super) fn places_around(day: i64) -> Vec<u64> {
    let epoch = jiff::civil::date(1970, 1, 1);
    let mut places = Vec::with_capacity(6);
    for d in day.saturating_sub(1)..=day.saturating_add(1) {
        let Some(date) = jiff::Span::new()
            .try_days(d)
            .ok()
            .and_then(|span| epoch.checked_add(span).ok())
        else {
            continue;
        };
        let month = MONTHS[date.month() as usize - 1];
        let day = u32::try_from(date.day()).unwrap_or(0);
        places.extend([day_place(month, day, true), day_place(month, day, false)]);
    }
    places.sort_unstable();
    places
}

/// The [`day_place`]s of the dates of `text`'s datelines.
fn datelines(text: &str) -> impl Iterator<Item = u64> + '_ {
    text.match_indices('(')
        .filter_map(|(i, _)| dateline_before(&text[..i]))
}

/// The [`day_place`] of a dateline's date that `head` ends with ("LIMA, Sept 8 ", "PARIS,
/// Aug. 11, 2024 "), if it does.
fn dateline_before(head: &str) -> Option<u64> {
    let head = head.trim_end();
    // An optional year: ", 2024".
    let head = match split_last_word(head) {
        Some((rest, year)) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => {
            rest.trim_end().strip_suffix(',')?.trim_end()
        }
        _ => head,
    };
    let (rest, day) = split_last_word(head)?;
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day: u32 = day.parse().ok()?;
    let (rest, name) = split_last_word(rest.trim_end())?;
    let name = name.strip_suffix('.').unwrap_or(name);
    if !name.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let month = month(&name.to_lowercase())?;
    let (_, place) = split_last_word(rest.trim_end().strip_suffix(',')?.trim_end())?;
    place
        .starts_with(|c: char| c.is_uppercase())
        .then(|| day_place(month, day, true))
}

/// `s` without its last word (split at the last whitespace), and that word.
fn split_last_word(s: &str) -> Option<(&str, &str)> {
    let (rest, word) = s.rsplit_once(char::is_whitespace).unwrap_or(("", s));
    (!word.is_empty()).then_some((rest, word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_are_read_by_their_form() {
        let day = |m, d| day_place(m, d, true);
        let read = |t: &str| datelines(t).collect::<Vec<_>>();
        assert_eq!(
            read("LIMA, Sept 8 (Crescent Times) - Sweden's"),
            [day("september", 8)]
        );
        // Past a lede, after another dateline, with a year, an abbreviation's full stop
        // and non-breaking spaces.
        assert_eq!(
            read(
                "MADRID, Nov 24 (Herald) — Prices rose. Traders watched on Monday. \
                 SAN JOSE, Aug. 11, 2024\u{a0}(Union Dispatch) - The bank said"
            ),
            [day("november", 24), day("august", 11)]
        );
        // No dateline: a date in a sentence, a parenthesis after a date in lower case,
        // a month without a day.
        assert!(read("The sale closes on March 13 (a Friday), the bank said.").is_empty());
        assert!(read("profit rose in the quarter ended March 31 (unaudited)").is_empty());
        assert!(read("LONDON, March (Reuters) - the bank").is_empty());
        assert!(read("(Reuters) - no date before it").is_empty());
    }

    #[test]
    fn a_datelines_date_leaves_the_figures() {
        use crate::cluster::figures::FigureCollector;
        use crate::text::Analyzer;
        let text = "Investors watched closely on Monday as traders reacted to the news. \
                    LIMA, Sept 8 (Crescent Times) - The bank sold 40 ships on Sept 8 and \
                    will pay on Oct 2.";
        let mut c = FigureCollector::new();
        for t in Analyzer::default().tokens(text) {
            c.push(&t);
        }
        let mut figures = c.finish();
        let dates = |f: &[Figure]| f.iter().filter(|&&f| f & 3 == 1).count();
        assert_eq!(dates(&figures), 3);
        without_datelines(text, &mut figures);
        // The dateline's day goes, wherever it stands; the payment's stays.
        assert_eq!(dates(&figures), 1);
        assert!(
            figures
                .iter()
                .any(|&f| is_date_on(f, day_place("october", 2, true)))
        );
    }
}
