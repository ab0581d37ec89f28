#!/usr/bin/env bash
# Every test, Rust and Python: the README's test command, and what .ci/run calls.
#
# 1. `cargo test --release`: unit, integration, doc and example tests of the workspace root.
# 2. The Python package (python/) installed into a fresh virtual environment with the
#    README's line, `pip install ./python` (pip builds it with maturin; maturin, numpy,
#    pyarrow, pandas, polars, pyspark, pytest and hypothesis come from PyPI), then
#    pytest: python/tests and every docstring example of the installed package.
#
# Needs cargo and Python 3.11 or later (python3, or PYTHON=...).
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

cargo test --release

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "scripts/test.sh: the Python tests need Python 3.11 or later (set PYTHON=...)" >&2
  exit 2
fi
venv=target/test-venv
rm -rf "$venv"
if ! "$python" -m venv "$venv" 2>/dev/null; then
  # A bare Debian machine has python3 without venv/ensurepip.
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -q >/dev/null && apt-get install -y -q python3-venv >/dev/null
  fi
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
# The README's install line (pip builds the wheel with maturin, fetched from PyPI), with
# the test extras.
"$venv/bin/pip" install -q --disable-pip-version-check "./python[test]"
# The installed package, not the source folder, is what the tests import.
site=$(cd / && "$OLDPWD/$venv/bin/python" -c 'import neardup, os; print(os.path.dirname(neardup.__file__))')
NEARDUP_BIN="$PWD/target/release/neardup" "$venv/bin/pytest" -q -p no:cacheprovider --doctest-modules python/tests "$site"
