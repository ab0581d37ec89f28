"""The index folder from Python: add, remove and merge answer as a fresh index of the live
documents; the CLI and Python read and write the same folder."""

from __future__ import annotations

import json

import pytest

import neardup

from conftest import run_cli


def meta(docs):
    return {k + "s": [d.get(k) for d in docs] for k in ("title", "outlet", "date", "url")}


def build(path, docs, **kw):
    return neardup.Index.build(path, [d["text"] for d in docs], [d["id"] for d in docs], **kw, **meta(docs))


def answers(ix, text):
    """Everything a query says, in a form two indexes of the same live documents share:
    copies in order with their scores, and every related document's cosine (top covers the
    whole sample, so no tie is cut at the end of the list)."""
    r = ix.query(text, top=500)
    dups = list(zip(r.duplicates.column("id").to_pylist(),
                    [round(x, 6) for x in r.duplicates.column("jaccard").to_pylist()],
                    r.duplicates.column("match").to_pylist()))
    related = dict(zip(r.related.column("id").to_pylist(), r.related.column("cosine").to_pylist()))
    return dups, related


def assert_as_fresh(ix, live, tmp_path, name):
    fresh = build(tmp_path / name, live)
    assert ix.ids().to_pylist() == fresh.ids().to_pylist() == [d["id"] for d in live]
    assert len(ix) == len(live)
    for d in live[::7]:
        (dups, related), (fresh_dups, fresh_related) = answers(ix, d["text"]), answers(fresh, d["text"])
        assert dups == fresh_dups, d["id"]
        # The same related documents; cosines as one index scores them, but for float sums
        # in another order.
        assert related.keys() == fresh_related.keys(), d["id"]
        assert all(abs(related[k] - fresh_related[k]) < 2e-5 for k in related), d["id"]
        s, f = ix.similar(d["id"], top=500), fresh.similar(d["id"], top=500)
        assert s.duplicates.column("id").to_pylist() == f.duplicates.column("id").to_pylist()
        assert d["id"] not in s.related.column("id").to_pylist()


def test_add_remove_merge_answer_as_a_fresh_index(sample, tmp_path):
    path = tmp_path / "archive"
    ix = build(path, sample[:60])
    assert ix.settings()["folder"] and ix.settings()["segments"] == 1
    ix.add([d["text"] for d in sample[60:]], [d["id"] for d in sample[60:]], **meta(sample[60:]))
    assert ix.settings()["segments"] == 2
    assert_as_fresh(ix, sample, tmp_path, "after-add")

    gone = [d["id"] for d in sample[::3]]
    assert ix.remove(gone + ["no-such-id"]) == ["no-such-id"]
    live = [d for d in sample if d["id"] not in set(gone)]
    s = ix.settings()
    assert (s["documents"], s["deleted"]) == (len(live), len(gone))
    assert_as_fresh(ix, live, tmp_path, "after-remove")
    with pytest.raises(KeyError, match=repr(gone[0]).replace("'", '"')):
        ix.similar(gone[0])

    # A removed id may come back, with another text.
    back = dict(sample[0], text=sample[1]["text"] + " A late paragraph.")
    ix.add([back["text"]], [back["id"]], **meta([back]))
    live.append(back)
    assert_as_fresh(ix, live, tmp_path, "after-readd")

    ix.merge()
    s = ix.settings()
    assert (s["segments"], s["deleted"], s["documents"]) == (1, 0, len(live))
    assert_as_fresh(ix, live, tmp_path, "after-merge")
    # What was written is what a reopening reads.
    again = neardup.Index.open(path)
    assert again.ids().to_pylist() == ix.ids().to_pylist()
    assert answers(again, sample[5]["text"]) == answers(ix, sample[5]["text"])


def test_ids_are_unique_among_live_documents(tmp_path):
    ix = neardup.Index.build(tmp_path / "a", ["one two three four five", "six seven eight nine ten"])
    assert ix.ids().to_pylist() == ["0", "1"]
    with pytest.raises(ValueError, match='document id "1" is already in the index'):
        ix.add(["eleven twelve thirteen fourteen"], ["1"])
    ix.remove(["0"])
    ix.merge()
    # Without ids, numbers no live document uses.
    ix.add(["eleven twelve thirteen fourteen", "fifteen sixteen seventeen eighteen"])
    assert ix.ids().to_pylist() == ["1", "2", "3"]
    with pytest.raises(ValueError, match=r'duplicate id "9"'):
        ix.add(["x y z w v", "a b c d e"], ["9", "9"])
    assert len(ix) == 3


def test_the_cli_and_python_share_the_folder(cli, sample, tmp_path, sample_path):
    path = tmp_path / "shared"
    ix = build(path, sample[:100])
    tail = tmp_path / "tail.jsonl"
    tail.write_text("".join(sample_path.read_text().splitlines(keepends=True)[100:]))
    run_cli(cli, "index", "add", str(path), str(tail), "-q")
    # The open index shows the state it read until refreshed.
    assert len(ix) == 100
    ix.refresh()
    assert ix.ids().to_pylist() == [d["id"] for d in sample]
    run_cli(cli, "index", "remove", str(path), sample[4]["id"], "-q")
    ix.refresh()
    assert len(ix) == len(sample) - 1
    for d in (sample[0], sample[57], sample[110]):
        out = run_cli(cli, "query", str(path), "--id", d["id"], "--output-format", "jsonl", "--top", "5")
        theirs = [json.loads(line) for line in out.splitlines()]
        r = ix.similar(d["id"], top=5)
        assert r.duplicates.column("id").to_pylist() == [x["id"] for x in theirs if x["kind"] == "duplicate"]
        assert r.related.column("id").to_pylist() == [x["id"] for x in theirs if x["kind"] == "related"]
        assert [round(x, 4) for x in r.related.column("cosine").to_pylist()] == [
            round(x["cosine"], 4) for x in theirs if x["kind"] == "related"]
    info = run_cli(cli, "index", "info", str(path), "--verify")
    assert "segment" in info


def test_a_damaged_segment_is_an_index_file_error(tmp_path):
    path = tmp_path / "d"
    neardup.Index.build(path, ["one two three four", "five six seven eight"], ["a", "b"])
    seg = next(path.glob("seg-*.ndx"))
    data = bytearray(seg.read_bytes())
    data[100] ^= 0xFF
    seg.write_bytes(bytes(data))
    with pytest.raises(neardup.IndexFileError, match="seg-"):
        neardup.Index.open(path).query("one two three four")


def notice(week):
    return ("GRAIN LEVIES UNCHANGED NEXT WEEK. Levies on grain will stay unchanged for the "
            f"week starting {week}, commission officials said. They are plus 2.4 points for "
            "Ruritania and the Netherlands, minus two points for Freedonia, minus eight "
            "points for Grand Fenwick and minus 25.7 points for Sylvania.")


def test_a_dated_query_is_decided_as_a_dated_document(tmp_path):
    """A weekly notice filled in anew is no copy of the indexed one when asked with a date
    two weeks on; undated, or a day on, it is (one figure changed: a correction)."""
    ix = neardup.Index.build(tmp_path / "notices", [notice("March 25")], ["march"],
                             dates=["2024-03-18"])
    copies = lambda **kw: ix.query(notice("April 8"), top=1, **kw).duplicates.column("id").to_pylist()
    assert copies() == ["march"]
    assert copies(date="2024-04-01") == []
    assert ix.query(notice("April 8"), top=1, date="2024-04-01").set_aside == 1
    assert copies(date="Tue, 19 Mar 2024 08:00:00 +0000") == ["march"]
    assert copies(date=None) == ["march"]
    with pytest.raises(ValueError, match="cannot read the date"):
        ix.query("x", date="the week after")


def test_compare_decides_as_pairs_does_on_the_two(cli, tmp_path):
    """Two weekly notices two weeks apart are the same report with other figures; undated
    (or with the rule off) they pass as a copy; the CLI's `compare` of the two files agrees."""
    a, b = notice("March 25"), notice("April 8")
    assert neardup.compare(a, b)["near_duplicate"] == "jaccard"
    c = neardup.compare(a, b, date_a="2024-03-18", date_b="2024-04-01")
    assert (c["near_duplicate"], c["set_aside"]) == (False, "figures")
    plain = neardup.compare(a, b, date_a="2024-03-18", date_b="2024-04-01", template_df=None)
    assert (plain["near_duplicate"], plain["set_aside"]) == ("jaccard", None)
    for name, text, date in (("a", a, "2024-03-18"), ("b", b, "2024-04-01")):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps({"id": name, "date": date, "text": text}) + "\n")
    theirs = json.loads(run_cli(cli, "compare", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"),
                                "--output-format", "json"))["comparison"]
    assert (theirs["near_duplicate"], theirs["set_aside"]) == (False, "figures")
    with pytest.raises(ValueError, match="cannot read the date"):
        neardup.compare(a, b, date_a="the week after")
