#!/usr/bin/env bash
# Regenerates test/fixtures/gguf/dequant.json with ggml's own C reference code: quantize_row_*_ref and
# dequantize_row_* from ggml-quants.c, plus its half/bfloat16 conversions, compiled in a temporary directory.
#
#   scripts/ggml/gen-dequant-fixtures.sh GGML    # GGML = a git clone of github.com/ggml-org/ggml (or its
#                                                # llama.cpp copy: the ggml/ folder), or a plain source tree
#
# Compiled with -O2 -ffp-contract=off for the baseline x86-64/arm64 target: no fused multiply-add, so each
# float32 operation of the C source is rounded on its own, which is what the TypeScript dequantizers mirror.
# Nothing of ggml (source or binaries) is kept; only the JSON fixture is written.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
src="${1:?usage: $0 PATH_TO_GGML (git clone or source tree)}"
out="$repo/test/fixtures/gguf/dequant.json"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  commit="$(git -C "$src" rev-parse HEAD)"
  git -C "$src" archive HEAD src include | tar -x -C "$tmp"
else
  commit="unknown (source tree)"
  cp -r "$src/src" "$src/include" "$tmp/"
fi

cc="${CC:-cc}"
flags=(-std=c11 -O2 -ffp-contract=off -fno-fast-math -I"$tmp/include" -I"$tmp/src")
"$cc" "${flags[@]}" -c "$tmp/src/ggml-quants.c" -o "$tmp/ggml-quants.o"
"$cc" "${flags[@]}" -c "$here/dequantDriver.c" -o "$tmp/driver.o"
"$cc" "$tmp/driver.o" "$tmp/ggml-quants.o" -lm -o "$tmp/driver"

{
  printf '{\n  "generator": "scripts/ggml/gen-dequant-fixtures.sh",\n  "ggmlCommit": "%s",\n' "$commit"
  "$tmp/driver" | tail -n +2
} > "$out"
echo "wrote $out ($(wc -c < "$out") bytes) from ggml $commit"
