//! The template shingles of an index or archive: learnt at the first query from the
//! stored shingle sets and figures of its live documents, as `pairs` learns them from the
//! same corpus (an even sample of at most 20,000 documents, see
//! [`TemplateShingles::learn_sampled`]), so that a query decides a pair as `pairs` does:
//! template shingles weigh less, and a pair whose figures conflict is set apart.

use std::borrow::Cow;

use crate::cluster::{Figure, TemplateRule, TemplateShingles, template_sample_step};
use crate::error::Result;
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
