#!/usr/bin/env bash
# Every test, Rust and Python: the README's test command, and what .ci/run calls.
#
# 1. `cargo test --release`: unit, integration, doc and example tests of the workspace root.
# 2. The Python package (python/) built with maturin into a fresh virtual environment
#    (maturin, numpy, pyarrow, pandas, polars, pytest and hypothesis from PyPI), then
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
rm -rf "$venv" target/test-wheels
"$python" -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "maturin>=1.9,<2"
"$venv/bin/maturin" build --release -m python/Cargo.toml -o target/test-wheels -q
wheel=$(ls target/test-wheels/neardup-*.whl)
"$venv/bin/pip" install -q --disable-pip-version-check "$wheel[test]"
# The installed package, not the source folder, is what the tests import.
site=$(cd / && "$OLDPWD/$venv/bin/python" -c 'import neardup, os; print(os.path.dirname(neardup.__file__))')
NEARDUP_BIN="$PWD/target/release/neardup" "$venv/bin/pytest" -q -p no:cacheprovider --doctest-modules python/tests "$site"
