//! End-to-end tests of what real archives need: `dedup`, dates in many forms, wire templates.

use std::path::Path;

use predicates::prelude::*;

mod common;
use common::{OTHER, STORY, neardup, sample, weekly_notice, write};

fn copy_of_story() -> String {
    STORY
        .replace("Tuesday", "Wednesday")
        .replace("sharply", "quickly")
}

/// The ids `cluster --output-format jsonl --keep RULE` marks `"keep": false`.
fn not_kept(input: &Path, keep: &str) -> Vec<String> {
    let out = neardup()
        .args(["cluster", "-q", "--output-format", "jsonl", "--keep", keep])
        .arg(input)
        .output()
        .unwrap();
    let mut ids = Vec::new();
    for line in std::str::from_utf8(&out.stdout).unwrap().lines() {
        let c: serde_json::Value = serde_json::from_str(line).unwrap();
        for m in c["members"].as_array().unwrap() {
            if m["keep"] == false {
                ids.push(m["id"].as_str().unwrap().to_string());
            }
        }
    }
    ids
}

#[test]
fn the_sample_minus_what_cluster_does_not_keep_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for keep in ["earliest", "first", "longest"] {
        let out = dir.path().join(format!("{keep}.jsonl"));
        neardup()
            .args(["dedup", "--keep", keep, "-o"])
            .arg(&out)
            .arg(sample())
            .assert()
            .success()
            .stderr(predicate::str::contains("kept 60 of 122 documents"));
        let dropped = not_kept(&sample(), keep);
        assert_eq!(dropped.len(), 62, "{keep}");
        let input = std::fs::read_to_string(sample()).unwrap();
        let expected: String = input
            .lines()
            .filter(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                !dropped.iter().any(|d| v["id"] == d.as_str())
            })
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), expected, "{keep}");
        // The sidecar names each dropped document, the one kept for it and the pair.
        let sidecar =
            std::fs::read_to_string(dir.path().join(format!("{keep}.jsonl.dropped.jsonl")))
                .unwrap();
        let rows: Vec<serde_json::Value> = sidecar
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 62);
        for r in &rows {
            assert!(dropped.iter().any(|d| r["id"] == d.as_str()));
            assert!(r["kept"].is_string() && r["kept"] != r["id"]);
            assert!(r["jaccard"].as_f64().unwrap() > 0.0);
            assert!(r["line"].as_u64().unwrap() >= 1);
        }
    }
    // The rules choose differently on the sample.
    assert_ne!(not_kept(&sample(), "first"), not_kept(&sample(), "longest"));
}

#[test]
fn csv_keeps_every_column_quoting_and_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let body = format!(
        "id,text,extra\r\nx1,{},\"multi\nline\"\r\nx2,{},2\r\nx3,{},3\r\n",
        q(STORY),
        q(&copy_of_story()),
        q(OTHER)
    );
    let input = write(dir.path(), "in.csv", &body);
    let out = dir.path().join("out.csv");
    neardup()
        .args(["dedup", "-q", "--keep", "first", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    let expected = format!(
        "id,text,extra\r\nx1,{},\"multi\nline\"\r\nx3,{},3\r\n",
        q(STORY),
        q(OTHER)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
}

#[test]
fn a_folder_of_txt_becomes_a_new_folder_of_the_kept_files() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("articles");
    write(&src, "a/story.txt", STORY);
    write(&src, "b/copy.txt", copy_of_story());
    write(&src, "other.txt", OTHER);
    let out = dir.path().join("kept");
    neardup()
        .args(["dedup", "-q", "--keep", "first", "-o"])
        .arg(&out)
        .arg(&src)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(out.join("a/story.txt")).unwrap(),
        STORY
    );
    assert_eq!(
        std::fs::read_to_string(out.join("other.txt")).unwrap(),
        OTHER
    );
    assert!(!out.join("b/copy.txt").exists());
    // A second run refuses to write into the folder now there, before any work.
    neardup()
        .args(["dedup", "-q", "-o"])
        .arg(&out)
        .arg(&src)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn standard_input_is_deduplicated_to_standard_output() {
    let lines: String = [
        serde_json::json!({"id": "a", "text": STORY, "keep_me": [1, 2]}),
        serde_json::json!({"id": "b", "text": copy_of_story()}),
        serde_json::json!({"id": "c", "text": OTHER}),
    ]
    .iter()
    .map(|v| format!("{v}\n"))
    .collect();
    let out = neardup()
        .args(["dedup", "-q", "-"])
        .write_stdin(lines.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let kept: Vec<&str> = lines.lines().filter(|l| !l.contains("\"b\"")).collect();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n{}\n", kept[0], kept[1])
    );
}

#[test]
fn bad_input_and_mixed_formats_leave_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.jsonl",
        format!("{}\n", serde_json::json!({"id": "a", "text": STORY})),
    );
    let bad = write(
        dir.path(),
        "bad.jsonl",
        format!(
            "{}\n{{\"id\": 2, \"text\": oops}}\n",
            serde_json::json!({"id": "z", "text": OTHER})
        ),
    );
    let out = dir.path().join("out.jsonl");
    neardup()
        .args(["dedup", "-o"])
        .arg(&out)
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.jsonl:2"));
    let csv = write(dir.path(), "t.csv", "id,text\n1,hello there\n");
    neardup()
        .args(["dedup", "-o"])
        .arg(&out)
        .arg(&good)
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is JSONL while"));
    // Text on standard input is one document: nothing to deduplicate, no folder made.
    let folder = dir.path().join("kept");
    neardup()
        .args(["dedup", "--input-format", "txt", "-", "-o"])
        .arg(&folder)
        .write_stdin(STORY)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "standard input as .txt is one document",
        ));
    assert!(!folder.exists());
    assert!(!out.exists());
    assert!(!dir.path().join("out.jsonl.dropped.jsonl").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}

#[test]
fn dates_in_many_forms_order_first_and_unreadable_ones_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    // The copy is dated earlier in another zone and form: it was published first.
    let lines: String = [
        serde_json::json!({"id": "wire", "date": "Sat, 01 Jun 2024 10:30:00 +0000", "text": STORY}),
        serde_json::json!({"id": "early", "date": "2024-06-01T11:00:00+02:00", "text": copy_of_story()}),
        serde_json::json!({"id": "x", "date": "sometime in June", "text": OTHER}),
        serde_json::json!({"id": "y", "date": "None", "text": "A different short note about gardening tools."}),
    ]
    .iter()
    .map(|v| format!("{v}\n"))
    .collect();
    let input = write(dir.path(), "d.jsonl", lines);
    let out = neardup()
        .args(["cluster", "--output-format", "jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("d.jsonl: 1 date could not be read and count as undated (first at line 3, \"sometime in June\")"),
        "{stderr}"
    );
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first: Vec<&str> = c["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["first"] == true)
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(first, ["early"]);
    // Building an index warns the same way.
    neardup()
        .args(["index", "build", "-o"])
        .arg(dir.path().join("d.ndx"))
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "d.jsonl: 1 date could not be read",
        ));
    neardup()
        .args(["cluster", "--strict-dates"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "d.jsonl:3: cannot read the date \"sometime in June\"",
        ));
}

#[test]
fn listings_show_days_and_span_them_by_the_instant_not_as_written() {
    let dir = tempfile::tempdir().unwrap();
    // As written, "2-MAR-1987" sorts before "26-FEB-1987"; it was published four days after.
    let lines: String = [
        serde_json::json!({"id": "later", "outlet": "Post", "date": "2-MAR-1987 11:59:53.24", "text": copy_of_story()}),
        serde_json::json!({"id": "wire", "outlet": "Wire", "date": "26-FEB-1987 15:01:01.79", "text": STORY}),
        serde_json::json!({"id": "vague", "outlet": "Wire", "date": "sometime in June", "text": STORY}),
    ]
    .iter()
    .map(|v| format!("{v}\n"))
    .collect();
    let input = write(dir.path(), "r.jsonl", lines);
    let out = neardup().arg("cluster").arg(&input).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("2 outlets (Post, Wire), 1987-02-26 to 1987-03-02"),
        "{text}"
    );
    assert!(text.contains("wire   Wire  1987-02-26  (first)"), "{text}");
    assert!(text.contains("later  Post  1987-03-02"), "{text}");
    // A date that cannot be read is shown as written, cut short, and spans nothing.
    assert!(text.contains("vague  Wire  sometime…"), "{text}");
    let html = dir.path().join("r.html");
    neardup()
        .args(["report", "-q", "--html"])
        .arg(&html)
        .arg(&input)
        .assert()
        .success();
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(
        html.contains("1987-02-26 to 1987-03-02"),
        "the story's span"
    );
    assert!(
        html.contains("<td>sometime…</td>"),
        "the vague date as written"
    );
    assert!(!html.contains("26-FEB-198<"), "no date cut inside its year");
    let out = neardup()
        .args(["report", "--output-format", "json"])
        .arg(&input)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let story = &r["stories"][0];
    assert_eq!(
        story["dates"],
        serde_json::json!(["1987-02-26", "1987-03-02"])
    );
    // The articles keep their dates as written.
    assert_eq!(story["articles"][0]["date"], "26-FEB-1987 15:01:01.79");
}

/// The ids of each copy cluster of `input` (`cluster --output-format jsonl`) with
/// `--template-df template_df`.
fn members(input: &Path, template_df: &str) -> Vec<Vec<String>> {
    let out = neardup()
        .args([
            "cluster",
            "-q",
            "--output-format",
            "jsonl",
            "--template-df",
            template_df,
        ])
        .arg(input)
        .output()
        .unwrap();
    std::str::from_utf8(&out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let c: serde_json::Value = serde_json::from_str(l).unwrap();
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

/// `compare --output-format json --id a --id b` with more arguments, which must succeed:
/// its JSON.
fn compare_json(a: &str, b: &str, args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let out = neardup()
        .args(["compare", "--output-format", "json", "--id", a, "--id", b])
        .args(args)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// `compare --id a --id b --input input` as JSON (its `comparison`), with more flags.
fn compare_in(input: &Path, a: &str, b: &str, flags: &[&str]) -> serde_json::Value {
    let mut args = vec![std::ffi::OsStr::new("--input"), input.as_os_str()];
    args.extend(flags.iter().map(std::ffi::OsStr::new));
    compare_json(a, b, &args)["comparison"].clone()
}

/// 25 bond announcements filled into one wire template (`b0` to `b24`), and a real copy of
/// the first, re-sent with a new first word (`b0-resent`): JSONL lines.
fn bond_lines() -> String {
    let issuers = [
        "Caecl",
        "Gmac",
        "McDonald's",
        "Commerzbank",
        "Gasunie",
        "Montedison",
        "Toyota",
        "Nestle",
        "Siemens",
        "Philips",
        "Renault",
        "Unilever",
        "Fiat",
        "Volvo",
        "Bayer",
        "Sony",
        "Ericsson",
        "Nokia",
        "Danone",
        "Heineken",
        "Shell",
        "Total",
        "Repsol",
        "Iberdrola",
        "Allianz",
    ];
    let mut lines = String::new();
    for (i, who) in issuers.iter().enumerate() {
        let text = format!(
            "{who} finance unit {i} is issuing a {amount} mln dlr eurobond due {year} paying {coupon} \
             pct and priced at {price} pct, lead manager {lead} said. The non-callable bond is \
             available in denominations of 5,000 dlrs and will be listed in Luxembourg. The \
             selling concession is 1-3/8 pct while management and underwriting combined pays \
             5/8 pct. Payment date is {day} March. {who} {who}-{i} debt programme {i} notes {i}.",
            amount = 50 + 25 * i,
            year = 1988 + i,
            coupon = format_args!("{}-{}/8", 7 + i % 3, i % 8),
            price = format_args!("100.{i}"),
            lead = format_args!("{} Securities", issuers[(i + 7) % issuers.len()]),
            day = 1 + i,
        );
        lines.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": format!("b{i}"), "text": text})
        ));
    }
    // A real copy of the first announcement, re-sent with a new first word.
    let copy = lines
        .lines()
        .next()
        .unwrap()
        .replace("\"b0\"", "\"b0-resent\"")
        .replace("Caecl finance", "CAECL finance");
    lines.push_str(&format!("{copy}\n"));
    lines
}

/// Bond announcements filled into one wire template: plain Jaccard makes them one cluster
/// of "copies"; with template shingles weighing less only the real copy pair remains.
#[test]
fn filled_in_wire_templates_are_not_copies_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "bonds.jsonl", bond_lines());
    let clusters = |template_df: &str| -> Vec<usize> {
        members(&input, template_df).iter().map(Vec::len).collect()
    };
    assert_eq!(clusters("10"), [2]);
    assert_eq!(clusters("off"), [26]);
    neardup()
        .args(["pairs", "--template-df", "10"])
        .arg(&input)
        .assert()
        .stderr(predicate::str::contains(
            "set aside: 324 pairs as sharing only a template",
        ));
    // `compare` in the corpus decides as `pairs` does, and says why.
    let two = compare_in(&input, "b0", "b1", &["--template-df", "10"]);
    assert_eq!(two["near_duplicate"], false, "{two}");
    assert_eq!(two["set_aside"], "template", "{two}");
    let plain = compare_in(&input, "b0", "b1", &["--template-df", "off"]);
    assert_eq!(plain["near_duplicate"], "jaccard", "{plain}");
    assert_eq!(plain["set_aside"], serde_json::Value::Null);
    assert_eq!(
        plain["jaccard"], two["jaccard"],
        "the measures are the plain ones"
    );
    let copy = compare_in(&input, "b0", "b0-resent", &["--template-df", "10"]);
    assert_eq!(copy["near_duplicate"], "jaccard", "{copy}");
}

/// A fixed report filled in again every day shares nearly all its shingles with
/// yesterday's: its figures tell them apart. A re-sent report, and a rewrite that spells a
/// figure out or writes `million` for `mln`, stay copies.
#[test]
fn reports_that_differ_in_their_figures_are_not_copies() {
    let dir = tempfile::tempdir().unwrap();
    let report = |amount: &str, rate: &str| {
        format!(
            "The Federal Reserve entered the U.S. Government securities market to arrange \
             {amount} dlrs of customer repurchase agreements, a Fed spokesman said. Dealers \
             said Federal funds were trading at {rate} pct when the Fed began its temporary \
             and indirect supply of reserves to the banking system, on March 3, 1987."
        )
    };
    let days = [
        ("1.5 billion", "6-3/16"),
        ("1.5 billion", "6-1/4"),
        ("2.5 billion", "6-3/16"),
        ("two billion", "6-5/16"),
        ("one billion", "6-1/8"),
        ("1.5 billion", "6-3/8"),
    ];
    let mut lines = String::new();
    for (i, (amount, rate)) in days.iter().enumerate() {
        let text = report(amount, rate);
        lines.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": format!("day{i}"), "text": text})
        ));
    }
    // The first day's report re-sent, dated another day, with its units and one figure
    // written another way: a copy.
    let resent = report("1,500 million", "6-3/16")
        .replace("dlrs", "dollars")
        .replace("March 3", "March 4");
    lines.push_str(&format!(
        "{}\n",
        serde_json::json!({"id": "day0-resent", "text": resent})
    ));
    let input = write(dir.path(), "fed.jsonl", lines);
    let groups = |template_df: &str| members(&input, template_df);
    assert_eq!(groups("auto"), [vec!["day0", "day0-resent"]]);
    assert_eq!(groups("off").len(), 1);
    assert_eq!(groups("off")[0].len(), 7);
}

/// A weekly notice filled in anew two weeks later, whose only change is its week, is
/// another notice; the first week's re-sent the next day, or re-run weeks later word for
/// word, is a copy. Without dates, nothing tells the weeks apart.
#[test]
fn a_notice_filled_in_anew_weeks_later_is_not_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let rows = notice_rows();
    let dated = write(dir.path(), "dated.jsonl", dated_rows(&rows, true));
    assert_eq!(
        members(&dated, "auto"),
        [vec!["march", "march-resent", "march-rerun"]]
    );
    let c = compare_in(&dated, "march", "april", &[]);
    assert_eq!(c["near_duplicate"], false, "{c}");
    assert_eq!(c["set_aside"], "figures", "{c}");
    let undated = write(dir.path(), "undated.jsonl", dated_rows(&rows, false));
    assert_eq!(members(&undated, "auto")[0].len(), 4);
}

/// A query for a new article is decided as `pairs` decides a dated document when its date
/// is known (a --file's own, or --date): the notice of another week is no copy of the
/// indexed ones, while undated it is, and within 3 days of them it is.
#[test]
fn a_dated_query_is_decided_as_a_dated_document() {
    let dir = tempfile::tempdir().unwrap();
    let [march, resent, rerun, april] = notice_rows();
    let index = dir.path().join("notices");
    let indexed = write(
        dir.path(),
        "march.jsonl",
        dated_rows(&[march, resent, rerun], true),
    );
    neardup()
        .args(["index", "build", "-q", "-o"])
        .arg(&index)
        .arg(&indexed)
        .assert()
        .success();
    let text_file = write(dir.path(), "april.txt", &april.2);
    let dated_file = write(
        dir.path(),
        "april.jsonl",
        dated_rows(std::slice::from_ref(&april), true),
    );
    let copies = |args: &[&std::ffi::OsStr]| query_copies(&index, args);
    let os = |s: &str| std::ffi::OsString::from(s);
    let (file, text) = (os("--file"), os("--text"));
    let all = ["march", "march-rerun", "march-resent"];
    assert_eq!(copies(&[&file, text_file.as_os_str()]), all);
    assert_eq!(copies(&[&text, &os(&april.2)]), all);
    // The file's own date (2024-04-01), or --date in another form.
    assert!(copies(&[&file, dated_file.as_os_str()]).is_empty());
    let when = os("Mon, 01 Apr 2024 09:30:00 +0000");
    assert!(copies(&[&text, &os(&april.2), &os("--date"), &when]).is_empty());
    // --date overrides the file's: a day after the March notices, one figure changed is
    // a correction, as `pairs` counts it (the re-run, weeks on, stays apart).
    let march_19 = os("2024-03-19");
    assert_eq!(
        copies(&[&file, dated_file.as_os_str(), &os("--date"), &march_19]),
        ["march", "march-resent"]
    );
    // A file's date it cannot read leaves the article undated, and says so.
    let vague = write(
        dir.path(),
        "vague.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"id": "vague", "date": "the week after", "text": april.2})
        ),
    );
    assert_eq!(copies(&[&file, vague.as_os_str()]), all);
    neardup()
        .args(["query", "--file"])
        .arg(&vague)
        .arg(&index)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "vague.jsonl: its date \"the week after\" could not be read",
        ));
    // A date it cannot read is an error, before any work.
    neardup()
        .args(["query", "--date", "the week after"])
        .arg(&index)
        .args(["--text", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid --date \"the week after\"",
        ));
}

/// `compare A B` of two files decides as `pairs A B` does: two dated notices of other
/// weeks are set apart by their figures; the same texts undated are a copy, as for `pairs`.
#[test]
fn two_files_are_compared_as_pairs_decides() {
    let dir = tempfile::tempdir().unwrap();
    let [march, _, _, april] = notice_rows();
    let file = |name: &str, row: &(&str, &str, String), dated: bool| {
        write(
            dir.path(),
            name,
            dated_rows(std::slice::from_ref(row), dated),
        )
    };
    for dated in [true, false] {
        let a = file(&format!("a-{dated}.jsonl"), &march, dated);
        let b = file(&format!("b-{dated}.jsonl"), &april, dated);
        let out = neardup()
            .args(["compare", "--output-format", "json"])
            .args([&a, &b])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let c = &v["comparison"];
        let pairs = neardup()
            .args(["pairs", "-q", "--output-format", "tsv"])
            .args([&a, &b])
            .output()
            .unwrap();
        let listed = String::from_utf8(pairs.stdout).unwrap().lines().count() - 1;
        match dated {
            true => {
                assert_eq!(c["near_duplicate"], false, "{v}");
                assert_eq!(c["set_aside"], "figures", "{v}");
                assert_eq!(listed, 0);
            }
            false => {
                assert_eq!(c["near_duplicate"], "jaccard", "{v}");
                assert_eq!(listed, 1);
            }
        }
    }
}

/// A weekly notice: the week of March 25 issued, re-sent the next day, re-run word for word
/// weeks later; and the week of April 8's, issued a week later (id, date, text).
fn notice_rows() -> [(&'static str, &'static str, String); 4] {
    [
        ("march", "2024-03-18", weekly_notice("March 25")),
        (
            "march-resent",
            "2024-03-19",
            weekly_notice("March 25").replace("officials", "sources"),
        ),
        ("march-rerun", "2024-04-08", weekly_notice("March 25")),
        ("april", "2024-04-01", weekly_notice("April 8")),
    ]
}

/// Each document's near-duplicates by id (both ways), as `pairs` finds them in `inputs`
/// with `--template-df template_df`.
fn pairs_partners(
    inputs: &[&Path],
    template_df: &str,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let out = neardup()
        .args([
            "pairs",
            "-q",
            "--output-format",
            "tsv",
            "--template-df",
            template_df,
        ])
        .args(inputs)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut partners = std::collections::BTreeMap::<String, Vec<String>>::new();
    for line in std::str::from_utf8(&out.stdout).unwrap().lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        partners.entry(f[0].into()).or_default().push(f[1].into());
        partners.entry(f[1].into()).or_default().push(f[0].into());
    }
    partners.values_mut().for_each(|v| v.sort());
    partners
}

/// The near-duplicates `query INDEX --id id` lists, sorted.
fn query_partners(index: &Path, id: &str) -> Vec<String> {
    query_copies(index, &["--id".as_ref(), id.as_ref()])
}

/// The near-duplicates `query INDEX ARGS...` lists, sorted.
fn query_copies(index: &Path, args: &[&std::ffi::OsStr]) -> Vec<String> {
    let out = neardup()
        .args(["query", "--output-format", "tsv", "--top", "1"])
        .args(args)
        .arg(index)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut ids: Vec<String> = std::str::from_utf8(&out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("duplicate\t"))
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// An index decides as `pairs` does on the same corpus: a query for any of its documents
/// lists exactly that document's `pairs` partners, so bond announcements filled into one
/// template, and a notice filled in anew weeks later, are not each other's near-duplicates,
/// also after documents are added to the index. Built with the template rule off, the
/// index lists them, as `pairs --template-df off` does.
#[test]
fn an_index_verifies_as_pairs_does() {
    let dir = tempfile::tempdir().unwrap();
    let bonds = write(dir.path(), "bonds.jsonl", bond_lines());
    let notices = write(
        dir.path(),
        "notices.jsonl",
        dated_rows(&notice_rows(), true),
    );
    let mut ids: Vec<String> = (0..25).map(|i| format!("b{i}")).collect();
    ids.push("b0-resent".into());
    ids.extend(notice_rows().iter().map(|r| r.0.to_string()));
    for template_df in ["10", "off"] {
        let partners = pairs_partners(&[&bonds, &notices], template_df);
        // Built from the bonds, then the notices added as a second segment (the template
        // shingles learnt from both); and built from both at once (stored with them).
        let index = dir.path().join(format!("index-{template_df}"));
        let whole = dir.path().join(format!("whole-{template_df}"));
        let build = |out: &Path, inputs: &[&Path]| {
            neardup()
                .args(["index", "build", "-q", "--template-df", template_df, "-o"])
                .arg(out)
                .args(inputs)
                .assert()
                .success();
        };
        build(&index, &[&bonds]);
        neardup()
            .args(["index", "add", "-q"])
            .arg(&index)
            .arg(&notices)
            .assert()
            .success();
        build(&whole, &[&bonds, &notices]);
        for id in &ids {
            let want = partners.get(id).cloned().unwrap_or_default();
            for i in [&index, &whole] {
                assert_eq!(
                    query_partners(i, id),
                    want,
                    "{id} in {} with --template-df {template_df}",
                    i.display()
                );
            }
        }
        let b0 = partners["b0"].clone();
        // The query says how many candidates it set aside: the 24 other announcements.
        let text = neardup()
            .args(["query", "--top", "1", "--id", "b0"])
            .arg(&whole)
            .output()
            .unwrap();
        let first = String::from_utf8(text.stdout).unwrap();
        let first = first.lines().next().unwrap().to_string();
        match template_df {
            "off" => assert!(!first.contains("set aside"), "{first}"),
            _ => assert!(
                first.starts_with("near-duplicates: 1 (") && first.contains("; 24 set aside"),
                "{first}"
            ),
        }
        match template_df {
            "off" => assert_eq!(b0.len(), 25, "{b0:?}"),
            _ => {
                assert_eq!(b0, ["b0-resent"]);
                assert_eq!(partners["march"], ["march-rerun", "march-resent"]);
                assert!(!partners.contains_key("april"));
            }
        }
        // `compare` against the index decides the same way, and says why.
        let two = compare_json(
            "b0",
            "b1",
            &[std::ffi::OsStr::new("--index"), index.as_os_str()],
        );
        let c = &two["comparison"];
        match template_df {
            "off" => assert_eq!(c["near_duplicate"], "jaccard", "{two}"),
            _ => {
                assert_eq!(c["near_duplicate"], false, "{two}");
                assert_eq!(c["set_aside"], "template", "{two}");
            }
        }
    }
}

/// JSONL rows of `(id, date, text)`, with their dates or without.
fn dated_rows(rows: &[(&str, &str, String)], dated: bool) -> String {
    rows.iter()
        .map(|(id, date, text)| {
            let row = if dated {
                serde_json::json!({"id": id, "date": date, "text": text})
            } else {
                serde_json::json!({"id": id, "text": text})
            };
            format!("{row}\n")
        })
        .collect()
}

/// The next issue of a regular report, its sentence worded anew just before the figure
/// that changed ("said it issued 4.96 billion", "issued 5.65 billion"), is not a copy when
/// the two came out days apart; its copy re-sent the next day still is.
#[test]
fn a_figure_changed_after_words_worded_anew_days_later_is_not_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let issue = |lead: &str, amount: &str| {
        format!(
            "RURITANIA ISSUES MORE CERTIFICATES OF DEPOSIT. The central bank {lead} {amount} \
             billion crowns worth of certificates of deposit, a bank official told reporters. \
             The new certificates, with maturities of six months, one year and two years, \
             carry interest rates ranging from 4.07 pct to 5.12 pct. The issues are designed \
             to help curb the growth of money supply, which is expanding as a result of large \
             foreign exchange reserves."
        )
    };
    let rows = [
        ("first", "2024-03-24", issue("said it issued", "4.96")),
        ("resent", "2024-03-25", issue("said it issued", "4.96")),
        ("next", "2024-04-03", issue("issued", "5.65")),
    ];
    let dated = write(dir.path(), "dated.jsonl", dated_rows(&rows, true));
    assert_eq!(members(&dated, "auto"), [vec!["first", "resent"]]);
    let c = compare_in(&dated, "first", "next", &[]);
    assert_eq!(c["set_aside"], "figures", "{c}");
    // Without dates, one figure changed among those kept is a correction: all three join.
    let undated = write(dir.path(), "undated.jsonl", dated_rows(&rows, false));
    assert_eq!(members(&undated, "auto")[0].len(), 3);
    // A daily forecast worded its own way around its one figure, two weeks on: no figure
    // in common, so no copy; sent again the next day, a copy.
    let forecast = |shortage: &str| {
        format!(
            "MONEY MARKET OFFERED EARLY HELP. The Bank of Ruritania said it had invited an \
             early round of bill offers from the discount houses after forecasting {shortage}. \
             Dealers expect the bank to help again in the afternoon as bills mature in official \
             hands and the take-up of treasury bills drains the system."
        )
    };
    let rows = [
        (
            "monday",
            "2024-03-18",
            forecast("a shortage in the system of around 1.1 billion crowns, dealers said"),
        ),
        (
            "tuesday",
            "2024-03-19",
            forecast("a shortage in the system of around 1.1 billion crowns, dealers said"),
        ),
        (
            "later",
            "2024-04-01",
            forecast("a very large shortage of around 1.75 billion crowns in the money market"),
        ),
    ];
    let dated = write(dir.path(), "forecasts.jsonl", dated_rows(&rows, true));
    assert_eq!(members(&dated, "auto"), [vec!["monday", "tuesday"]]);
    let undated = write(
        dir.path(),
        "forecasts-undated.jsonl",
        dated_rows(&rows, false),
    );
    assert_eq!(members(&undated, "auto")[0].len(), 3);
}

/// Two days' reports that differ in an amount are kept apart even through a third text
/// that matches both (it names no amount): it joins the one it matches best, as on
/// Reuters-21578 an overnight System repurchase joined the Fed's customer repurchases of
/// two days.
#[test]
fn a_text_that_matches_two_reports_kept_apart_joins_one() {
    let dir = tempfile::tempdir().unwrap();
    let report = |amount: &str| {
        format!(
            "The Federal Reserve entered the U.S. Government securities market to arrange \
             {amount}customer repurchase agreements, a Fed spokesman said. Dealers said \
             Federal funds were trading at 6-1/4 pct when the Fed began its temporary and \
             indirect supply of reserves to the banking system."
        )
    };
    let mut lines = String::new();
    for (id, amount) in [
        ("march30", "two billion dlrs of "),
        ("march31", "1.5 billion dlrs of "),
        ("overnight", ""),
    ] {
        lines.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": id, "text": report(amount)})
        ));
    }
    let input = write(dir.path(), "repos.jsonl", lines);
    // Without the rule all three are copies; with it, the first two conflict and the third
    // (as close to either: ties go by input order) joins the first.
    assert_eq!(
        members(&input, "off"),
        [vec!["march30", "march31", "overnight"]]
    );
    assert_eq!(members(&input, "auto"), [vec!["march30", "overnight"]]);
    let pairs = neardup()
        .args(["pairs", "--output-format", "tsv"])
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 pair as the same report with other figures (clusters keep them apart)",
        ));
    let out = String::from_utf8(pairs.get_output().stdout.clone()).unwrap();
    // Both pairs with the third text are copies; the clusters drop one.
    assert_eq!(
        out.lines().filter(|l| l.contains("overnight")).count(),
        2,
        "{out}"
    );
    // `compare` in the corpus says why the two reports are not copies.
    let apart = compare_in(&input, "march31", "march30", &[]);
    assert_eq!(apart["near_duplicate"], false, "{apart}");
    assert_eq!(apart["set_aside"], "figures", "{apart}");
    assert_eq!(
        compare_in(&input, "march31", "overnight", &[])["near_duplicate"],
        "jaccard"
    );
    neardup()
        .args(["compare", "--id", "march30", "--id", "march31", "--input"])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "near-duplicate      no (set aside: the same report with other figures",
        ));
}

/// The Fed's overnight System repurchase is a "direct" supply of reserves, its customer
/// repurchases an "indirect" one: worded the same otherwise, and the System notice naming
/// no amount, they are other operations, not copies (a rewrite never negates a word). A
/// notice that rewords the neighbours of the word says nothing either way, and stays a copy.
#[test]
fn a_word_against_its_negation_is_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let report = |amount: &str, supply: &str| {
        format!(
            "The Federal Reserve entered the U.S. Government securities market to arrange \
             {amount}repurchase agreements, a Fed spokesman said. Dealers said Federal \
             funds were trading at 6-3/8 pct when the Fed began its {supply} of reserves \
             to the banking system."
        )
    };
    let mut lines = String::new();
    for (id, amount, supply) in [
        (
            "customer",
            "two billion dlrs of customer ",
            "temporary and indirect supply",
        ),
        ("system", "overnight System ", "temporary and direct supply"),
        (
            "reworded",
            "overnight System ",
            "temporary and direct provision",
        ),
    ] {
        lines.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": id, "text": report(amount, supply)})
        ));
    }
    let input = write(dir.path(), "repos.jsonl", lines);
    // Without the rule (`off`) the customer notice is a copy of the other two.
    assert_eq!(
        members(&input, "off"),
        [vec!["customer", "system", "reworded"]]
    );
    let apart = compare_in(&input, "customer", "system", &[]);
    assert_eq!(apart["near_duplicate"], false, "{apart}");
    assert_eq!(apart["set_aside"], "figures", "{apart}");
    // The System notices are copies of each other; "provision" has no negation to read,
    // so the customer notice and the reworded one stay copies, and the clusters keep the
    // set-aside pair apart.
    assert_ne!(
        compare_in(&input, "system", "reworded", &[])["near_duplicate"],
        false
    );
    assert_ne!(
        compare_in(&input, "customer", "reworded", &[])["near_duplicate"],
        false
    );
    assert_eq!(members(&input, "auto"), [vec!["system", "reworded"]]);
}

/// Notices filled into one template that name different funds share their shingles and
/// their figures: their names tell them apart. A notice re-sent with a typo in its name
/// stays a copy, and so do two outlets' copies of one story that differ only where each
/// names itself in its footer (a name in many documents is boilerplate).
#[test]
fn notices_that_name_different_funds_are_not_copies() {
    let dir = tempfile::tempdir().unwrap();
    let notice = |fund: &str| {
        format!(
            "ACME FUND SETS MONTHLY PAYOUT Mthly div 7.1 cts vs 7.1 cts prior Pay March 31 \
             Record March 16 NOTE: Acme {fund} Tax-Free Income Fund."
        )
    };
    let mut lines = String::new();
    let add = |lines: &mut String, id: &str, text: String| {
        lines.push_str(&format!(
            "{}\n",
            serde_json::json!({"id": id, "text": text})
        ));
    };
    for (i, fund) in ["Insured", "Puerto Rico", "High-Yield Insured", "Ohio"]
        .iter()
        .enumerate()
    {
        add(&mut lines, &format!("f{i}"), notice(fund));
    }
    add(&mut lines, "f0-resent", notice("Insurd"));
    let funds = write(dir.path(), "funds.jsonl", lines.clone());
    assert_eq!(members(&funds, "auto"), [vec!["f0", "f0-resent"]]);
    assert_eq!(members(&funds, "off")[0].len(), 5);

    lines.clear();
    let stories = [
        "the city council voted on tuesday to close the old harbour bridge after inspectors \
         found cracks in two of its piers, said Mayor Ellen Park, adding that repairs would \
         take most of the summer and cost the city far more than planned",
        "shares of the regional grocer fell sharply in early trading after it warned that \
         rising transport costs would cut its profit this year, analysts at Northgate Bank \
         said, and the company's chief executive declined to comment on the outlook",
        "heavy rain flooded roads across the northern valley overnight, forcing schools to \
         close and stranding drivers on the main highway, while forecasters at the Valley \
         Weather Service warned that more storms were on the way for the weekend",
    ];
    for (i, story) in stories.iter().enumerate() {
        for outlet in ["Metro Wire", "Coastal Chronicle"] {
            let text = format!(
                "By staff reporters. {story}. Follow {outlet} on social media for the latest \
                 updates and sign up for our daily newsletter."
            );
            add(&mut lines, &format!("s{i}-{}", &outlet[..1]), text);
        }
    }
    let copies = write(dir.path(), "copies.jsonl", lines);
    assert_eq!(
        members(&copies, "3"),
        [
            vec!["s0-M", "s0-C"],
            vec!["s1-M", "s1-C"],
            vec!["s2-M", "s2-C"]
        ]
    );
}

/// The daily forecast of a central bank, revised on other days to other figures in
/// other words ("down to around 600", "today down to 350"), is not one story; a copy that
/// drops "around" is.
#[test]
fn forecasts_of_other_days_with_qualifiers_are_not_copies() {
    let dir = tempfile::tempdir().unwrap();
    let forecasts = [
        (
            "d1",
            "in the money markets down to around 600 mln stg from its first estimate of 750 mln",
        ),
        (
            "d1-copy",
            "in the money markets down to 600 mln stg from its first estimate of 750 mln",
        ),
        (
            "d2",
            "in the money markets down to 450 mln stg before taking account of its early operations; at noon it had put the shortfall at 500 mln stg",
        ),
        (
            "d3",
            "in the money markets today down to 350 mln stg from 450 mln stg",
        ),
    ];
    let lines: String = forecasts
        .iter()
        .map(|(id, tail)| {
            let text = format!(
                "CENTRAL BANK CUTS CASH SHORTAGE FORECAST The Bank of Freedonia said it had \
                 revised its forecast of the cash shortage {tail}. WIRE"
            );
            format!("{}\n", serde_json::json!({"id": id, "text": text}))
        })
        .collect();
    let input = write(dir.path(), "forecasts.jsonl", lines);
    assert_eq!(members(&input, "auto"), [vec!["d1", "d1-copy"]]);
    assert_eq!(members(&input, "off")[0].len(), 4);
}

/// `query --id`, `compare --id` (in an index or an input) and `rank --id` ask about one
/// article; the article is never its own duplicate; `-o` writes a file.
#[test]
fn asking_about_one_article_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("s.ndx");
    neardup()
        .args(["index", "build", "-q", "-o"])
        .arg(&index)
        .arg(sample())
        .assert()
        .success();
    let out = dir.path().join("q.tsv");
    neardup()
        .args(["query", "--id", "s00000-0", "--output-format", "tsv", "-o"])
        .arg(&out)
        .arg(&index)
        .assert()
        .success();
    let q = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<(&str, &str)> = q
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0], f[1])
        })
        .collect();
    assert!(ids.contains(&("duplicate", "s00000-1")), "{q}");
    assert!(ids.iter().all(|(_, id)| *id != "s00000-0"), "{q}");
    // The same article given as a file is not its own duplicate either.
    let first = std::fs::read_to_string(sample()).unwrap();
    let one = write(dir.path(), "one.jsonl", first.lines().next().unwrap());
    let by_file = neardup()
        .args(["query", "--output-format", "tsv", "--file"])
        .arg(&one)
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(by_file.stdout).unwrap(), q);
    neardup()
        .args(["query", "--id", "nope"])
        .arg(&index)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--id nope: no document with this id",
        ));

    // compare by id: from the index's stored data, and from the input's texts.
    let json = |args: &[&std::ffi::OsStr]| compare_json("s00000-0", "s00000-1", args);
    let stored = json(&["--index".as_ref(), index.as_os_str()]);
    let sample_path = sample();
    let texts = json(&[
        "--input".as_ref(),
        sample_path.as_os_str(),
        "--index".as_ref(),
        index.as_os_str(),
    ]);
    assert_eq!(
        stored["comparison"]["shared_shingles"],
        texts["comparison"]["shared_shingles"]
    );
    assert_eq!(stored["comparison"]["near_duplicate"], "jaccard");
    let cos = |v: &serde_json::Value| v["comparison"]["cosine"].as_f64().unwrap();
    assert!((cos(&stored) - cos(&texts)).abs() < 1e-5);
    // With --input alone, the cosine's idf is the input corpus's, as `rank` fits it.
    let input = json(&["--input".as_ref(), sample_path.as_os_str()]);
    assert_eq!(input["comparison"]["idf"], "input");
    let ranked = neardup()
        .args(["rank", "-q", "--top", "5", "--id", "s00000-0"])
        .arg(sample())
        .output()
        .unwrap();
    let ranked = String::from_utf8(ranked.stdout).unwrap();
    let row: Vec<&str> = ranked
        .lines()
        .find(|l| l.starts_with("s00000-0\ts00000-1\t"))
        .expect("the copy among the neighbours")
        .split('\t')
        .collect();
    let rank_cosine: f64 = row[3].parse().unwrap();
    assert!(
        (cos(&input) - rank_cosine).abs() < 1e-4,
        "{} against {rank_cosine}",
        cos(&input)
    );
    neardup()
        .args([
            "compare",
            "--id",
            "s00000-0",
            "--id",
            "s00000-1",
            "--passages",
            "--index",
        ])
        .arg(&index)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--passages needs the texts"));

    // rank --id lists that document's rows of the whole ranking.
    let all = neardup()
        .args(["rank", "-q", "--top", "3"])
        .arg(sample())
        .output()
        .unwrap();
    let one = neardup()
        .args(["rank", "-q", "--top", "3", "--id", "s00000-0"])
        .arg(sample())
        .output()
        .unwrap();
    let all = String::from_utf8(all.stdout).unwrap();
    let expected: Vec<&str> = all
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || l.starts_with("s00000-0\t"))
        .map(|(_, l)| l)
        .collect();
    assert_eq!(
        String::from_utf8(one.stdout)
            .unwrap()
            .lines()
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(expected.len(), 4);
}

/// `--color` decides the highlighting of passages; `-v` shows the settings and stages.
#[test]
fn colour_and_verbose_are_global_flags() {
    let articles = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
    let run = |colour: &str| {
        let out = neardup()
            .args(["compare", "--passages", "--color", colour])
            .arg(articles.join("s00000-0.txt"))
            .arg(articles.join("s00000-1.txt"))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run("always").contains("\u{1b}["));
    let plain = run("never");
    assert!(
        !plain.contains("\u{1b}[") && plain.contains("[[1 "),
        "{plain}"
    );
    neardup()
        .args(["-v", "pairs"])
        .arg(sample())
        .assert()
        .success()
        .stderr(
            predicate::str::contains("templates: shingles in max(5").and(predicate::str::contains(
                "read, shingled and sketched 122 documents",
            )),
        );
}

/// A story has one number everywhere: `cluster --mode stories` (with or without
/// singletons), the report's JSON and text, and the HTML page, whose matrix is capped.
#[test]
fn story_numbers_agree_across_outputs_and_the_matrix_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    let story_of = |extra: &[&str]| -> std::collections::HashMap<String, u64> {
        let out = neardup()
            .args([
                "cluster",
                "-q",
                "--mode",
                "stories",
                "--output-format",
                "jsonl",
            ])
            .args(extra)
            .arg(sample())
            .output()
            .unwrap();
        std::str::from_utf8(&out.stdout)
            .unwrap()
            .lines()
            .flat_map(|l| {
                let c: serde_json::Value = serde_json::from_str(l).unwrap();
                let id = c["cluster"].as_u64().unwrap();
                c["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| (m["id"].as_str().unwrap().to_string(), id))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let shown = story_of(&[]);
    let all = story_of(&["--singletons"]);
    assert!(shown.len() > 50 && all.len() == 122);
    assert!(shown.iter().all(|(doc, s)| all[doc] == *s));
    let html = dir.path().join("r.html");
    let out = neardup()
        .args([
            "report",
            "-q",
            "--output-format",
            "json",
            "--matrix-outlets",
            "4",
            "--html",
        ])
        .arg(&html)
        .arg(sample())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    for s in report["stories"].as_array().unwrap() {
        let n = s["story"].as_u64().unwrap();
        for a in s["articles"].as_array().unwrap() {
            assert_eq!(shown[a["id"].as_str().unwrap()], n);
        }
        assert!(page.contains(&format!("id=\"story-{n}\"")), "story {n}");
    }
    assert_eq!(page.matches("<th class=\"row\">").count(), 4);
    assert!(page.contains("The 4 outlets with the most stories of 12"));
    let text = neardup()
        .args(["report", "-q"])
        .arg(sample())
        .output()
        .unwrap();
    let first = &report["stories"][0];
    assert!(String::from_utf8(text.stdout).unwrap().contains(&format!(
        "story {}: {}",
        first["story"],
        first["headline"].as_str().unwrap()
    )));
}

/// Two outlets running the same agency story are "both from" the agency, not one copying
/// the other; the outlet matrix does not count them as copies.
#[test]
fn syndicated_stories_have_a_common_source() {
    let dir = tempfile::tempdir().unwrap();
    let body = |dateline: &str| {
        format!(
            "{dateline} (AFP) - {STORY} Officials said the decision had been expected for weeks."
        )
    };
    let lines: String = [
        serde_json::json!({"id": "st", "outlet": "straitstimes.com", "date": "2024-06-02", "text": body("SINGAPORE")}),
        serde_json::json!({"id": "nd", "outlet": "ndtv.com", "date": "2024-06-01", "text": body("NEW DELHI")}),
        serde_json::json!({"id": "x", "outlet": "other.com", "date": "2024-06-01", "text": OTHER}),
    ]
    .iter()
    .map(|v| format!("{v}\n"))
    .collect();
    let input = write(dir.path(), "afp.jsonl", lines);
    let out = neardup()
        .args(["report", "-q"])
        .arg(&input)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("common source: ndtv.com nd and straitstimes.com st both from AFP"),
        "{text}"
    );
    assert!(!text.contains("copy: "), "{text}");
    let json = neardup()
        .args(["report", "-q", "--output-format", "json"])
        .arg(&input)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        r["stories"][0]["copies"][0]["common_source"]["agency"],
        "AFP"
    );
    let copied: u64 = r["matrix"]["copied"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()))
        .sum();
    assert_eq!(copied, 0);
}

/// Copies re-run weeks after the story, each with its own dateline after a lede, one a copy
/// of another that kept its source's dateline after its own, one cut short before the
/// sentence with the story's other date: the datelines' dates are no dates of the story,
/// and all join.
#[test]
fn copies_re_run_weeks_later_with_their_own_datelines_are_copies() {
    let dir = tempfile::tempdir().unwrap();
    let body = "The Ruritanian statistics bureau said consumer prices rose 0.3 pct in February, \
        after a 1.0 pct rise in January, bringing the rise so far this year to 1.3 pct. \
        Year-on-year inflation rose to 3.4 pct from a revised 3.2 pct in January, the bureau \
        said. The slowdown was mainly due to a price freeze that came into force on \
        February 4, the bureau added.";
    let cut = body.split(" The slowdown").next().unwrap();
    let rows = [
        ("original", "2024-03-05", body.to_string()),
        (
            "copy",
            "2024-03-08",
            format!(
                "Investors reacted cautiously on Friday as traders weighed the news. \
                 LIMA, March 8 (Crescent Times) - {cut} Read the full story at Crescent Times."
            ),
        ),
        (
            "copy-of-copy",
            "2024-03-16",
            format!(
                "MADRID, March 16 (Riverside Gazette) - Analysts voiced concern on Saturday \
                 as suppliers reacted to the news. LIMA, March 8 (Crescent Times) - {cut}"
            ),
        ),
        (
            "later",
            "2024-03-26",
            format!(
                "Shoppers were watching closely on Tuesday as savers reacted to the news. \
                 OSLO, March 26 (Union Dispatch) - {body}"
            ),
        ),
    ];
    let dated = write(dir.path(), "reruns.jsonl", dated_rows(&rows, true));
    assert_eq!(
        members(&dated, "auto"),
        [vec!["original", "copy", "copy-of-copy", "later"]]
    );
}

/// One of a kind is counted in the singular in listings and summary lines; a date with a
/// zone is listed as its own calendar's day.
#[test]
fn one_cluster_is_singular_and_zoned_dates_keep_their_day() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        serde_json::json!({"id": "a", "outlet": "X", "date": "2024-06-01T23:30:00-05:00", "text": STORY}),
        serde_json::json!({"id": "b", "outlet": "Y", "date": "Sun, 02 Jun 2024 01:00:00 -0400", "text": copy_of_story()}),
    ];
    let input = write(
        dir.path(),
        "two.jsonl",
        rows.iter().map(|r| format!("{r}\n")).collect::<String>(),
    );
    let out = neardup().arg("cluster").arg(&input).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(
        stdout.starts_with("1 cluster of near-duplicates (2 of 2 documents)"),
        "{stdout}"
    );
    // June 1 in Chicago (June 2 in UTC); June 2 in New York.
    assert!(stdout.contains("2024-06-01 to 2024-06-02"), "{stdout}");
    assert!(stderr.contains("1 near-duplicate pair ("), "{stderr}");
    let report = neardup().arg("report").arg(&input).output().unwrap();
    let stderr = String::from_utf8(report.stderr).unwrap();
    assert!(
        stderr.contains("2 documents, 1 story with two or more articles, 1 copy ("),
        "{stderr}"
    );
}

/// A later step of a story that reuses the earlier text's background under a heading of
/// its own (a loan announced, then priced twelve days on) is not a copy; the same text
/// re-sent under its heading, or under the new one the next day, still is. A company's
/// fourth quarter and its year, sent the same hour with the year's figures in both, are
/// two reports; a correction of the heading's period is a copy.
#[test]
fn a_heading_of_other_news_days_later_or_another_period_is_not_a_copy() {
    let dir = tempfile::tempdir().unwrap();
    let background = "\n\nThe loan carries a call option after four years at 102, falling \
        to 101-1/2 after five years and by half a point each year thereafter, a Finance \
        Ministry spokesman said. Some 120 billion crowns of the loan will be taken up by \
        members of the issuing consortium, comprising the major commercial banks, and the \
        remaining 30 billion by the state owned credit institutions.";
    let announced = format!(
        "NORVANIA TO ISSUE 150 BILLION CROWN STATE LOAN\n\nNorvania is to issue a 150 \
         billion crown, eight-year state loan. Pricing will be fixed next week.{background}"
    );
    let priced = format!(
        "NORVANIAN STATE LOAN PRICED AT PAR\n\nThe new 150 billion crown state loan has been \
         priced at par.{background}"
    );
    let rows = [
        ("announced", "2024-03-05", announced.clone()),
        ("resent", "2024-03-06", announced),
        ("priced", "2024-03-17", priced.clone()),
        ("priced-again", "2024-03-18", priced),
    ];
    let dated = write(dir.path(), "loan.jsonl", dated_rows(&rows, true));
    assert_eq!(
        members(&dated, "auto"),
        [vec!["announced", "resent"], vec!["priced", "priced-again"]]
    );
    let c = compare_in(&dated, "announced", "priced", &[]);
    assert_eq!(c["set_aside"], "figures", "{c}");
    // Undated, the two steps read as one story padded: one cluster.
    let undated = write(dir.path(), "loan-undated.jsonl", dated_rows(&rows, false));
    assert_eq!(members(&undated, "auto")[0].len(), 4);

    let year = "Shr 24 cts vs 15 cts\n    Net 1,520,797 vs 929,017\n    Revs 5,268,486 vs \
        2,617,995";
    let quarter = format!(
        "ACME HEALTHCARE LTD <ACHC> 4TH QTR NET\n\nShr six cts vs four cts\n    Net 383,189 \
         vs 241,857\n    Revs 1,506,756 vs 793,459\n    12 mths\n    {year}"
    );
    let rows = [
        ("quarter", "2024-03-02", quarter.clone()),
        (
            "year",
            "2024-03-02",
            format!("ACME HEALTH CARE LTD <ACHC> YEAR DEC 31 NET\n\n{year}"),
        ),
    ];
    let dated = write(dir.path(), "periods.jsonl", dated_rows(&rows, true));
    assert!(members(&dated, "auto").is_empty());
    assert_eq!(members(&dated, "off"), [vec!["quarter", "year"]]);
    let c = compare_in(&dated, "quarter", "year", &[]);
    assert_eq!(c["set_aside"], "figures", "{c}");
    // A correction of the heading's period is the same report.
    let rows = [
        ("first", "2024-03-02", quarter.replace("4TH QTR", "3RD QTR")),
        ("corrected", "2024-03-02", format!("CORRECTED - {quarter}")),
    ];
    let dated = write(dir.path(), "corrected.jsonl", dated_rows(&rows, true));
    assert_eq!(members(&dated, "auto"), [vec!["first", "corrected"]]);
}
