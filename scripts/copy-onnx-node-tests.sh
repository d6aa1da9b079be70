#!/usr/bin/env bash
# Copies the ONNX backend tests that the importer runs from the shared ONNX test data
# (github.com/onnx/onnx onnx/backend/test/data, Apache-2.0) into testdata/onnx-node/:
# the WebNN candidates at default-domain opset <= 21 (webnn_candidates.txt), plus all of
# simple/ and pytorch-converted/. Usage: scripts/copy-onnx-node-tests.sh [SOURCE_DIR]
set -euo pipefail
src="${1:-/work/shared/onnx-node}"
dst="$(cd "$(dirname "$0")/.." && pwd)/testdata/onnx-node"
mkdir -p "$dst"
cp "$src/LICENSE" "$src/VERSION_NUMBER" "$src/webnn_candidates.txt" "$dst/"
{
  awk -F'\t' 'NR > 1 && $2 <= 21 { print $1 }' "$src/webnn_candidates.txt"
  (cd "$src" && ls -d simple/* pytorch-converted/*)
} | sort -u | while read -r t; do
  mkdir -p "$dst/$(dirname "$t")"
  rm -rf "${dst:?}/$t"
  cp -r "$src/$t" "$dst/$t"
done
du -sh "$dst"
