"""Python and the CLI give the same answers on the bundled sample."""

from __future__ import annotations

import json
import re

import neardup
import pytest

from conftest import SAMPLE, run_cli


def tsv(rows: list[list[str]]) -> str:
    return "".join("\t".join(r) + "\n" for r in rows)


def pairs_tsv(table) -> str:
    """The table as `neardup pairs --output-format tsv` prints it."""
    return tsv(
        [["a", "b", "jaccard", "containment", "match"]]
        + [
            [r["a"], r["b"], f"{r['jaccard']:.4f}", f"{r['containment']:.4f}", r["match"]]
            for r in table.to_pylist()
        ]
    )


def dates(sample):
    return [d.get("date") for d in sample]


def test_pairs_equal_the_cli_byte_for_byte(cli, sample):
    table = neardup.pairs([d["text"] for d in sample], [d["id"] for d in sample], dates=dates(sample))
    assert table.num_rows > 50
    assert pairs_tsv(table) == run_cli(cli, "pairs", str(SAMPLE), "--output-format", "tsv", "-q")


@pytest.mark.parametrize("flags,kwargs", [
    (["--sketch", "classic"], {"sketch": "classic"}),
    (["--sketch", "cminhash", "--shingle", "char:5", "--threshold", "0.5"],
     {"sketch": "cminhash", "shingle": "char:5", "threshold": 0.5}),
    (["--containment", "off", "--num-perm", "64", "--seed", "7"],
     {"containment": None, "num_perm": 64, "seed": 7}),
])
def test_pairs_equal_the_cli_with_other_settings(cli, sample, flags, kwargs):
    table = neardup.pairs([d["text"] for d in sample], [d["id"] for d in sample], dates=dates(sample), **kwargs)
    assert table.num_rows > 0
    assert pairs_tsv(table) == run_cli(cli, "pairs", str(SAMPLE), "--output-format", "tsv", "-q", *flags)


def test_dates_set_apart_texts_days_apart_whose_figures_changed(sample):
    # With character shingles, texts of other stories share enough to pass containment;
    # those published days apart with a figure changed in place are no copies by their
    # dates. Without dates they stay.
    texts, ids = [d["text"] for d in sample], [d["id"] for d in sample]
    kw = {"sketch": "cminhash", "shingle": "char:5", "threshold": 0.5}
    key = lambda t: set(zip(t["a"].to_pylist(), t["b"].to_pylist()))
    dated, undated = key(neardup.pairs(texts, ids, dates=dates(sample), **kw)), key(neardup.pairs(texts, ids, **kw))
    assert dated < undated
    assert all(a.split("-")[0] != b.split("-")[0] for a, b in undated - dated)


def test_clusters_equal_the_cli(cli, sample):
    table = neardup.cluster([d["text"] for d in sample], [d["id"] for d in sample], dates=dates(sample))
    out = run_cli(cli, "cluster", str(SAMPLE), "--output-format", "jsonl", "--singletons", "-q")
    theirs = {}
    for line in out.splitlines():
        c = json.loads(line)
        for m in c["members"]:
            theirs[m["id"]] = (c["cluster"], c["size"], m["joined_by"], m["score"], m.get("match"))
    ours = {
        r["id"]: (
            r["cluster"],
            r["size"],
            r["joined_by"],
            None if r["score"] is None else round(r["score"], 4),
            r["match"],
        )
        for r in table.to_pylist()
    }
    assert ours == theirs


def test_ranks_equal_the_cli_byte_for_byte(cli, sample):
    table = neardup.rank([d["text"] for d in sample], [d["id"] for d in sample], top=5)
    ours = tsv(
        [["id", "neighbour", "rank", "cosine", "score"]]
        + [
            [r["id"], r["neighbour"], str(r["rank"]), f"{r['cosine']:.4f}", f"{r['score']:.4f}"]
            for r in table.to_pylist()
        ]
    )
    assert ours == run_cli(cli, "rank", str(SAMPLE), "--top", "5", "--output-format", "tsv", "-q")


def test_compare_equals_the_cli_and_the_sketcher_signs_alike(cli, sample, tmp_path):
    a, b = sample[0]["text"], sample[1]["text"]
    (tmp_path / "a.txt").write_text(a)
    (tmp_path / "b.txt").write_text(b)
    theirs = json.loads(
        run_cli(cli, "compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--output-format", "json")
    )["comparison"]
    ours = neardup.compare(a, b)
    for key in ("jaccard", "jaccard_estimate", "containment_a_in_b", "containment_b_in_a",
                "shingles_a", "shingles_b", "shared_shingles", "near_duplicate"):
        assert ours[key] == pytest.approx(theirs[key]) if isinstance(ours[key], float) else ours[key] == theirs[key], key
    assert ours["cosine"] == pytest.approx(theirs["cosine"], abs=1e-6)
    # The sketcher makes the signatures compare's estimate came from.
    s = neardup.Sketcher()
    assert neardup.jaccard(s.sketch_one(a), s.sketch_one(b)) == pytest.approx(theirs["jaccard_estimate"])


def test_an_index_built_in_python_answers_as_the_cli_reads_it(cli, sample, tmp_path):
    path = tmp_path / "s.ndx"

    def meta(docs):
        return {k + "s": [d.get(k) for d in docs] for k in ("title", "outlet", "date", "url")}

    neardup.Index.build(path, [d["text"] for d in sample[:100]], [d["id"] for d in sample[:100]],
                        single_file=True, **meta(sample[:100]))
    index = neardup.Index.open(path)
    index.add([d["text"] for d in sample[100:]], [d["id"] for d in sample[100:]], **meta(sample[100:]))
    # With the same metadata, the index is the CLI's, byte for byte.
    cli_built = tmp_path / "cli.ndx"
    head = tmp_path / "head.jsonl"
    tail = tmp_path / "tail.jsonl"
    lines = SAMPLE.read_text().splitlines(keepends=True)
    head.write_text("".join(lines[:100]))
    tail.write_text("".join(lines[100:]))
    run_cli(cli, "index", "build", str(head), "--single-file", "-o", str(cli_built), "-q")
    run_cli(cli, "index", "add", str(cli_built), str(tail), "-q")
    assert cli_built.read_bytes() == path.read_bytes()
    assert len(index) == len(sample)
    for doc in (sample[0], sample[57], sample[121]):
        query = doc["text"]
        (tmp_path / "q.txt").write_text(query)
        # The CLI reads the index Python wrote ...
        out = run_cli(cli, "query", str(path), "--file", str(tmp_path / "q.txt"),
                      "--output-format", "jsonl", "--top", "5")
        theirs = [json.loads(line) for line in out.splitlines()]
        r = index.query(query, top=5)
        # ... and finds what Python finds, in the same order with the same scores.
        assert r.duplicates.column("id").to_pylist() == [x["id"] for x in theirs if x["kind"] == "duplicate"]
        assert [round(x, 4) for x in r.duplicates.column("jaccard").to_pylist()] == [
            round(x["jaccard"], 4) for x in theirs if x["kind"] == "duplicate"]
        assert r.related.column("id").to_pylist() == [x["id"] for x in theirs if x["kind"] == "related"]
        assert r.duplicates.column("id").to_pylist()[0] == doc["id"]
        assert r.duplicates.column("outlet").to_pylist() == [x["outlet"] for x in theirs if x["kind"] == "duplicate"]
        assert r.related.column("title").to_pylist() == [x["title"] for x in theirs if x["kind"] == "related"]


def test_python_reads_an_index_the_cli_built(cli, sample, tmp_path):
    path = tmp_path / "cli.ndx"
    run_cli(cli, "index", "build", str(SAMPLE), "--single-file", "-o", str(path), "-q")
    index = neardup.Index.open(path)
    assert index.ids().to_pylist() == [d["id"] for d in sample]
    assert index.settings()["num_perm"] == 128
    r = index.query(sample[3]["text"], top=3)
    assert r.duplicates.column("id").to_pylist()[0] == sample[3]["id"]
    # The candidates set aside (a template, other figures), as the CLI counts them.
    (tmp_path / "q.txt").write_text(sample[3]["text"])
    first = run_cli(cli, "query", str(path), "--file", str(tmp_path / "q.txt"), "--top", "3").splitlines()[0]
    said = re.search(r"; (\d+) set aside", first)
    assert r.set_aside == (int(said.group(1)) if said else 0)
    assert f"near-duplicates: {r.duplicates.num_rows} ({r.candidates} candidates checked" in first
