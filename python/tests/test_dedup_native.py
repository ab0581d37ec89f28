"""`dedup` from Python keeps what `neardup dedup` keeps: one rule and one date reader."""

import datetime as dt
import json

import pyarrow as pa

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
