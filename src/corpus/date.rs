//! Publication dates: the day number of an ISO 8601 date (`YYYY-MM-DD`, optionally followed
//! by a time), for date windows and "who published first".

/// The order of publication of document `doc`: its day (undated last), then the date as
/// written (a time of day in ISO form sorts within the day), then input order. "Who
/// published first" is the smallest key.
pub fn publication_key(meta: &super::DocMeta, doc: u32) -> (i64, &str, u32) {
    let date = meta.date.as_deref().unwrap_or("");
    let day = meta
        .date
        .as_deref()
        .and_then(day_number)
        .unwrap_or(i64::MAX);
    (day, date, doc)
}

/// The first published of `members` (document numbers into `docs`), by
/// [`publication_key`]; `None` when there are none.
pub fn first_published(
    docs: &[super::DocMeta],
    members: impl IntoIterator<Item = u32>,
) -> Option<u32> {
    members.into_iter().min_by(|&a, &b| {
        publication_key(&docs[a as usize], a).cmp(&publication_key(&docs[b as usize], b))
    })
}

/// Days since 1970-01-01 of a date that starts `YYYY-MM-DD` (anything after the tenth
/// character, such as `T10:30:00Z`, is ignored). `None` if it does not parse or the day does
/// not exist.
pub fn day_number(date: &str) -> Option<i64> {
    let b = date.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2024-06-01T10:00:00Z"), Some(19_875));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(day_number("2023-02-29"), None);
        assert_eq!(day_number("June 1, 2024"), None);
        assert_eq!(day_number("2024-13-01"), None);
    }
}
