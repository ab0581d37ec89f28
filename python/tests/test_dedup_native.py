"""`dedup` from Python keeps what `neardup dedup` keeps: one rule and one date reader."""

import datetime as dt
import json

import pyarrow as pa
import pytest

import neardup

STORY = (
    "The central bank raised its main interest rate by half a percentage point on Tuesday, "
    "citing stubborn inflation in services and a tight labour market."
)


def test_dates_in_many_forms_pick_the_earliest():
    texts = [STORY, STORY.replace("Tuesday", "Wednesday"), STORY + " More later."]
    # The third is earliest: 2024-06-01 22:00 UTC is before both others.
    dates = ["Sun, 02 Jun 2024 10:00:00 GMT", "2 June 2024", "2024-06-02T00:00:00+02:00"]
    assert neardup.dedup(texts, dates=dates, keep="earliest")["keep"].to_pylist() == [False, False, True]
    stamps = pa.array([dt.datetime(2024, 6, 3), dt.datetime(2024, 6, 1), None], pa.timestamp("s"))
    assert neardup.dedup(texts, dates=stamps, keep="earliest")["keep"].to_pylist() == [False, True, False]


def test_python_keeps_what_the_cli_keeps(cli, sample, tmp_path):
    import subprocess

    from conftest import SAMPLE

    for rule in ["earliest", "first", "longest"]:
        out = tmp_path / f"{rule}.jsonl"
        subprocess.run([str(cli), "dedup", "-q", "--keep", rule, "-o", str(out), str(SAMPLE)], check=True)
        kept_cli = [json.loads(line)["id"] for line in open(out)]
        t = neardup.dedup(
            [d["text"] for d in sample], [d["id"] for d in sample], dates=[d.get("date") for d in sample], keep=rule
        )
        kept_py = [i for i, k in zip(t["id"].to_pylist(), t["keep"].to_pylist()) if k]
        assert kept_py == kept_cli, rule


def test_a_text_copied_hundreds_of_times_pairs_by_window_past_max_bucket():
    story = " ".join(f"word{i}" for i in range(60))
    texts = [story] * 400
    full = neardup.pairs(texts)
    assert full.num_rows == 400 * 399 // 2
    windowed = neardup.pairs(texts, max_bucket=150)
    # Each text meets its 100 neighbours in signature order: far fewer pairs, one cluster.
    assert 0 < windowed.num_rows <= 400 * 100
    assert set(neardup.cluster(texts, max_bucket=150).column("cluster").to_pylist()) == {0}
    assert neardup.pairs(texts, max_bucket=None).num_rows == full.num_rows
    with pytest.raises(ValueError, match="max_bucket"):
        neardup.pairs(texts, max_bucket=0)
