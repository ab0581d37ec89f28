//! What the end-to-end tests share: the binary, the bundled sample, files to write, and
//! two texts. Each test crate uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `neardup` binary of this build.
pub fn neardup() -> Command {
    Command::cargo_bin("neardup").unwrap()
}

/// The bundled sample (122 articles from 12 outlets).
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample/news.jsonl")
}

/// Writes `content` to `dir/name` (making its folders) and returns the path.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, content).unwrap();
    p
}

/// A wire story.
pub const STORY: &str = "The central bank raised its main interest rate by half a percentage point on Tuesday, \
citing stubborn inflation in services and a tight labour market. Governor Maria Okafor said further \
increases could not be ruled out if wage growth stayed strong through the summer. Markets had expected \
a smaller move, and the currency rose sharply after the announcement.";

/// An unrelated one.
pub const OTHER: &str = "Heavy rain flooded parts of the northern coast overnight, closing two highways and \
cutting power to thousands of homes. Emergency crews evacuated a nursing home near the river, and the \
weather service warned that more storms were likely before the weekend.";

/// A weekly notice of grain levies for the week starting `week` ("March 25"): filled in
/// anew each week, its figures the same.
pub fn weekly_notice(week: &str) -> String {
    format!(
        "GRAIN LEVIES UNCHANGED NEXT WEEK. Levies on grain will stay unchanged for the week \
         starting {week}, commission officials said. They are plus 2.4 points for Ruritania \
         and the Netherlands, minus two points for Freedonia, minus eight points for Grand \
         Fenwick and minus 25.7 points for Sylvania."
    )
}
