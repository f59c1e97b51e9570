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
source "$(dirname "$0")/common.sh"
out="$repo/test/fixtures/gguf/dequant.json"
copy_ggml src include

cc="${CC:-cc}"
flags=(-std=c11 -O2 -ffp-contract=off -fno-fast-math -I"$tmp/include" -I"$tmp/src")
"$cc" "${flags[@]}" -c "$tmp/src/ggml-quants.c" -o "$tmp/ggml-quants.o"
"$cc" "${flags[@]}" -c "$here/dequantDriver.c" -o "$tmp/driver.o"
"$cc" "$tmp/driver.o" "$tmp/ggml-quants.o" -lm -o "$tmp/driver"

"$tmp/driver" | with_provenance gen-dequant-fixtures.sh > "$out"
echo "wrote $out ($(wc -c < "$out") bytes) from ggml $commit"
