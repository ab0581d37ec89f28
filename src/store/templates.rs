//! The template shingles of an index or archive: learnt from the stored shingle sets and
//! figures of its live documents, as `pairs` learns them from the same corpus (an even
//! sample of at most 20,000 documents, see [`TemplateShingles::learn_sampled`]), so that
//! a query decides a pair as `pairs` does: template shingles weigh less, and a pair whose
//! figures conflict is set apart. They are learnt when an index file is written, and when
//! an archive of several segments (or with deletions) commits, and stored in the
//! `templates.*` sections of the index file or the manifest.

use std::borrow::Cow;

use super::file::{Dtype, FileWriter, IndexFile, Section};
use crate::cluster::{
    Figure, StoredTemplates, TemplateRule, TemplateShingles, template_sample_step,
};
use crate::error::{Error, Result};
use crate::shingle::{Fingerprint, ShingleSets};

/// The template shingles of the `n` live documents `live` (their numbers, in order), read
/// with `read` (shingle fingerprints and figures), under `rule`; `None` when the rule is
/// off.
pub(crate) fn learn_templates<'a>(
    rule: TemplateRule,
    n: usize,
    live: impl Iterator<Item = u32>,
    read: impl Fn(u32) -> Result<(Cow<'a, [Fingerprint]>, &'a [Figure])>,
) -> Result<Option<TemplateShingles>> {
    if rule == TemplateRule::Off {
        return Ok(None);
    }
    let (mut sets, mut figures) = (ShingleSets::new(), ShingleSets::new());
    for d in live.step_by(template_sample_step(n)) {
        let (set, f) = read(d)?;
        sets.push(&set);
        figures.push(f);
    }
    Ok(
        TemplateShingles::learn_sampled(&sets, n, rule)
            .map(|t| t.with_sampled_figures(&figures, n)),
    )
}

/// The names of the sections that hold template shingles, in an index file or a manifest.
const SECTIONS: [(&str, Dtype); 5] = [
    ("templates.cut", Dtype::U32),
    ("templates.prints", Dtype::U32),
    ("templates.df", Dtype::U32),
    ("templates.figures", Dtype::U64),
    ("templates.figure_df", Dtype::U32),
];

/// The template sections of `file`, if it has them.
pub(crate) fn template_sections(file: &IndexFile) -> Result<Option<[Section; 5]>> {
    if !file.sections().contains_key(SECTIONS[0].0) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(SECTIONS.len());
    for (name, dtype) in SECTIONS {
        out.push(file.section(name, dtype)?);
    }
    Ok(Some(out.try_into().expect("five sections")))
}

/// Writes template shingles as the `templates.*` sections.
pub(crate) fn write_templates(w: &mut FileWriter, templates: &TemplateShingles) -> Result<()> {
    let t = templates.stored();
    w.u32s(SECTIONS[0].0, &[t.cut])?;
    w.u32s(SECTIONS[1].0, t.prints)?;
    w.u32s(SECTIONS[2].0, t.df)?;
    w.u64s(SECTIONS[3].0, t.figures)?;
    w.u32s(SECTIONS[4].0, t.figure_df)
}

/// Reads the template shingles stored in `file`'s `sections` ([`template_sections`]).
pub(crate) fn read_templates(file: &IndexFile, sections: [Section; 5]) -> Result<TemplateShingles> {
    let [cut, prints, df, figures, figure_df] = sections;
    let cut = match file.u32s_at(cut, None)? {
        [c] if *c > 0 => *c,
        _ => return Err(Error::index(file.path(), "damaged index (templates.cut)")),
    };
    let s = StoredTemplates {
        cut,
        prints: file.u32s_at(prints, None)?,
        df: file.u32s_at(df, None)?,
        figures: file.u64s_at(figures, None)?,
        figure_df: file.u32s_at(figure_df, None)?,
    };
    let sorted = |v: &[u64]| v.windows(2).all(|w| w[0] < w[1]);
    if s.prints.len() != s.df.len()
        || s.figures.len() != s.figure_df.len()
        || !s.prints.windows(2).all(|w| w[0] < w[1])
        || !sorted(s.figures)
    {
        return Err(Error::index(file.path(), "damaged index (templates)"));
    }
    Ok(TemplateShingles::from_stored(s))
}
