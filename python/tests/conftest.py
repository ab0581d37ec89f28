"""Shared fixtures: the bundled sample and the CLI binary built from the same sources."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "datasets" / "sample" / "news.jsonl"


@pytest.fixture(scope="session")
def sample() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def sample_path() -> pathlib.Path:
    return SAMPLE


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    """The neardup binary (NEARDUP_BIN, else target/release/neardup, built if missing)."""
    path = pathlib.Path(os.environ.get("NEARDUP_BIN", ROOT / "target" / "release" / "neardup"))
    if not path.exists():
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--bin", "neardup"],
            cwd=ROOT,
            check=True,
            stdin=subprocess.DEVNULL,
        )
    return path


def run_cli(cli: pathlib.Path, *args: str, stdin: bytes | None = None) -> str:
    r = subprocess.run([str(cli), *args], input=stdin, capture_output=True, check=False)
    assert r.returncode in (0, 1), r.stderr.decode()
    return r.stdout.decode()
