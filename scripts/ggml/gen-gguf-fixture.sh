#!/usr/bin/env bash
# Regenerates test/fixtures/gguf/ggml-written.gguf and ggml-written.json with ggml's own GGUF writer and reader
# (gguf.cpp; ggufWriterDriver.c says what is written). The tests check that our reader sees in the file exactly
# what ggml's reader sees. ggml's base library is built in a temporary directory with CMake; nothing of ggml is kept.
#
#   scripts/ggml/gen-gguf-fixture.sh GGML    # a git clone of github.com/ggml-org/ggml, or a plain source tree
set -euo pipefail
source "$(dirname "$0")/common.sh"
outdir="$repo/test/fixtures/gguf"
copy_ggml

cmake -S "$tmp" -B "$tmp/build" -DGGML_NATIVE=OFF -DGGML_BACKEND_DL=OFF -DGGML_CPU=OFF -DGGML_BUILD_TESTS=OFF \
  -DGGML_BUILD_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF >/dev/null
cmake --build "$tmp/build" --target ggml-base -j"$(nproc)" >/dev/null
lib="$(find "$tmp/build" -name 'libggml-base.a' | head -1)"
"${CC:-cc}" -std=c11 -O2 -ffp-contract=off -I"$tmp/include" "$here/ggufWriterDriver.c" "$lib" -lstdc++ -lm -lpthread -fopenmp -o "$tmp/driver"
"$tmp/driver" "$outdir/ggml-written.gguf" | with_provenance gen-gguf-fixture.sh > "$outdir/ggml-written.json"
echo "wrote $outdir/ggml-written.gguf ($(wc -c < "$outdir/ggml-written.gguf") bytes) and ggml-written.json from ggml $commit"
