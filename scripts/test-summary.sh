#!/usr/bin/env bash
# Prints the counts of the last test run from the report files (run by ./run-tests after Maven):
# WPT conformance and ONNX backend tests per backend, and the real models against ONNX Runtime.
# Usage: scripts/test-summary.sh [SINCE_FILE]   (reports older than SINCE_FILE are marked stale)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WPT="$ROOT/anneau-conformance/target/conformance-reports/wpt-conformance.json"
ONNX="$ROOT/anneau-onnx/target/onnx-node-reports"
SINCE="${1:-}"
stale() { # " (stale: from an earlier run)" when $1 is older than the run
  if [ -n "$SINCE" ] && [ ! "$1" -nt "$SINCE" ]; then echo " (STALE: written before this run)"; fi
}
echo "== test results"
if [ -f "$WPT" ]; then
  # the report's "byBackend": { "cpu": { "passed": N, "failed": M, "skipped": K }, ... }
  awk '
    /"byBackend"/ { on = 1; next }
    on && /^    [}]/ { on = 0 }
    on && /^      "[^"]+" : [{]/ { b = $1; gsub(/"/, "", b); order[++n] = b; next }
    on && /"(passed|failed|skipped)"/ { k = $1; v = $3; gsub(/[",]/, "", k); gsub(/[",]/, "", v); c[b] = c[b] (c[b] == "" ? "" : ", ") v " " k }
    END { for (i = 1; i <= n; i++) printf "conformance [%s]: %s\n", order[i], c[order[i]] }
  ' "$WPT"
  echo "   report: $WPT$(stale "$WPT")"
else
  echo "conformance: no report ($WPT)"
fi
found=0
for f in "$ONNX"/*.md; do
  [ -f "$f" ] || continue
  b="$(basename "$f" .md)"
  [ "$b" = "real-models" ] && continue
  line="$(grep -m1 '^onnx-node: ' "$f")"
  echo "onnx-node [$b]: ${line#onnx-node: }$(stale "$f")"
  found=1
done
[ "$found" = 1 ] && echo "   reports: $ONNX/BACKEND.md" || echo "onnx-node: no report ($ONNX)"
if [ -f "$ONNX/real-models.md" ]; then
  # rows: | model | backend | status | detail |
  awk -F' [|] ' '/^[|] [a-z]/ && $2 != "backend" { sub(/^[|] /, "", $1); printf "real model %s [%s]: %s\n", $1, $2, $3 }' "$ONNX/real-models.md"
  echo "   report: $ONNX/real-models.md$(stale "$ONNX/real-models.md")"
fi

# one closing line over every JUnit report of this run (Surefire XML), for people and CI alike
awk -v since="$SINCE" '
  FNR == 1 { take = 1 }
  /<testsuite / && take {
    t = f = e = s = 0
    if (match($0, / tests="[0-9]+"/)) t = substr($0, RSTART + 8, RLENGTH - 9)
    if (match($0, / failures="[0-9]+"/)) f = substr($0, RSTART + 11, RLENGTH - 12)
    if (match($0, / errors="[0-9]+"/)) e = substr($0, RSTART + 9, RLENGTH - 10)
    if (match($0, / skipped="[0-9]+"/)) s = substr($0, RSTART + 10, RLENGTH - 11)
    T += t; F += f + e; S += s; take = 0
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", T - F - S, F, S }
' $(find "$ROOT" -path '*/target/surefire-reports/TEST-*.xml' ${SINCE:+-newer "$SINCE"} 2>/dev/null) /dev/null
