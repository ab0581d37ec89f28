#!/usr/bin/env bash
# Renders the HTML report of the bundled sample in headless Chromium and fails on a console
# error or an empty page; writes a screenshot to target/report.png. Installs Debian's
# chromium package when it is missing (as root).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get install -y -q chromium >/dev/null 2>&1) || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)
  else
    sudo apt-get install -y -q chromium >/dev/null
  fi
fi
cargo build --release --quiet
mkdir -p target
./target/release/neardup report datasets/sample/news.jsonl --html target/report.html -q >/dev/null
url="file://$root/target/report.html"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0)
timeout 120 chromium "${flags[@]}" --dump-dom "$url" >target/report.dom 2>target/report.log || true
timeout 120 chromium "${flags[@]}" --window-size=1280,1800 --screenshot=target/report.png "$url" \
  >/dev/null 2>>target/report.log || true
if grep -E 'CONSOLE|Uncaught|ERR_FILE_NOT_FOUND|net::ERR' target/report.log; then
  echo "check-report: console errors while rendering target/report.html" >&2
  exit 1
fi
grep -q '<h2>Stories</h2>' target/report.dom || { echo "check-report: the page did not render" >&2; exit 1; }
[ -s target/report.png ] || { echo "check-report: no screenshot" >&2; exit 1; }
echo "check-report: target/report.html renders in headless Chromium without console errors"
