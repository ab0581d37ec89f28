"""The README's Python example runs as written, from the repository root."""

from __future__ import annotations

import contextlib
import io
import os
import re

from conftest import ROOT


def test_the_readme_pandas_example_runs_as_written():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks, "README has a Python example"
    code = blocks[0]
    assert len(code.strip().splitlines()) <= 5
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    text = out.getvalue()
    assert "joined_by" in text
    m = re.search(r"(\d+) articles, (\d+) kept", text)
    assert m and int(m.group(1)) == 122 and 0 < int(m.group(2)) < 122
