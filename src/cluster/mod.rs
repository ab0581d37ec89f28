//! Verification of candidates, clustering of the verified pairs (copies), and grouping
//! into stories by average linkage.

mod apart;
mod average;
mod clusters;
mod dateline;
mod direction;
mod doc_figures;
mod figure;
mod figure_count;
mod figures;
mod flashes;
mod headings;
mod keep;
mod months;
mod names;
mod polarity;
mod published;
mod roundup;
mod screen;
mod sessions;
mod story;
mod subjects;
mod template;
mod template_figures;
mod union_find;
mod verify;
mod words;

pub use average::{Edge, average_linkage};
pub use clusters::{Cluster, ClusterId, Member, build_clusters};
pub(crate) use doc_figures::DocFigures;
pub use figure::Figure;
pub use figure_count::FigureCount;
pub use figures::FigureCollector;
pub use keep::Keep;
pub use published::REPORT_GAP_DAYS;
pub use screen::{SCREEN_RISK, Screen};
pub use story::{
    DEFAULT_DATE_WINDOW_DAYS, DEFAULT_STORY_NEIGHBOURS, DEFAULT_STORY_RERANK_NEIGHBOURS,
    DEFAULT_STORY_THRESHOLD, Story, StoryMember, StoryParams, stories_from_links,
};
pub(crate) use template::StoredTemplates;
pub use template::{
    MIN_TEMPLATE_DF, MIN_WEIGHT, TemplateRule, TemplateShingles, WeightedOverlap, template_figures,
    template_sample_step,
};
pub use template_figures::TemplateFigures;
pub use union_find::UnionFind;
pub use verify::{MatchKind, SetAside, Verdict, VerifiedPair, Verifier};
