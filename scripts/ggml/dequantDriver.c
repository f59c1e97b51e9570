// Driver for gen-dequant-fixtures.sh: runs ggml's own reference quantizers (quantize_row_*_ref) and
// dequantizers (dequantize_row_*) from ggml-quants.c and prints their blocks and float32 outputs as JSON.
// Compiled against the public ggml source in a temporary directory; nothing of ggml is committed.
#define GGML_COMMON_DECL_C
#include "ggml-common.h"
#include "ggml-quants.h"
#include "ggml-impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>

// ggml-quants.o references these from ggml.c; the reference row functions used here never call them.
void ggml_abort(const char * file, int line, const char * fmt, ...) { fprintf(stderr, "ggml_abort %s:%d\n", file, line); abort(); }
size_t ggml_row_size(enum ggml_type type, int64_t ne) { (void) type; (void) ne; abort(); }
const char * ggml_type_name(enum ggml_type type) { (void) type; abort(); }
size_t ggml_type_size(enum ggml_type type) { (void) type; abort(); }

static uint32_t rng_state = 0x9e3779b9u;
static uint32_t rnd(void) { // xorshift32: reproducible on every platform
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 17; rng_state ^= rng_state << 5; return rng_state;
}
static float uniform(void) { return (rnd() >> 8) * (1.0f / 16777216.0f); }
static float gauss(void) { // Box-Muller, float32
    float u = uniform() + 1e-7f, v = uniform();
    return sqrtf(-2.0f * logf(u)) * cosf(6.2831853f * v);
}

static int first = 1;
static void hex(const void * p, size_t n) {
    const uint8_t * b = (const uint8_t *) p;
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
}
static void emit(const char * type, const char * source, const void * blocks, size_t nbytes, const float * y, int64_t k) {
    printf("%s\n    {\"type\": \"%s\", \"source\": \"%s\", \"count\": %lld, \"blocks\": \"", first ? "" : ",", type, source, (long long) k);
    first = 0;
    hex(blocks, nbytes);
    printf("\", \"values\": \"");
    hex(y, (size_t) k * sizeof(float));
    printf("\"}");
}

/** Test input: Gaussian rows at several scales, a block of zeros, outliers and a constant run. */
static void fill(float * x, int64_t k) {
    const float scales[] = { 0.02f, 1.0f, 300.0f, 1e-6f };
    for (int64_t i = 0; i < k; i++) x[i] = gauss() * scales[(i / 64) % 4];
    for (int64_t i = 0; i < 32 && i < k; i++) x[i] = 0.0f;
    if (k > 100) { x[70] = 40.0f; x[71] = -55.0f; }
    for (int64_t i = k - 16; i < k; i++) x[i] = 0.75f;
}

/** Random block bytes whose half-float fields are finite (NaN payloads are not a dequantizer property). */
static void random_blocks(uint8_t * b, size_t nbytes, size_t block_bytes, const int * half_offsets, int n_half) {
    for (size_t i = 0; i < nbytes; i++) b[i] = (uint8_t) rnd();
    for (size_t blk = 0; blk < nbytes / block_bytes; blk++) {
        for (int h = 0; h < n_half; h++) {
            uint8_t * hi = b + blk * block_bytes + half_offsets[h] + 1;
            if ((*hi & 0x7c) == 0x7c) *hi &= 0xbf; // exponent 31 (inf/NaN) -> 15
        }
    }
}

#define CASE(T, BLOCK, QK, NBLK, HALFS, NHALF)                                                            \
    do {                                                                                                   \
        const int64_t k = (int64_t) (QK) * (NBLK);                                                         \
        float * x = malloc(sizeof(float) * k);                                                             \
        float * y = malloc(sizeof(float) * k);                                                             \
        BLOCK * q = calloc(NBLK, sizeof(BLOCK));                                                           \
        fill(x, k);                                                                                        \
        quantize_row_##T##_ref(x, q, k);                                                                   \
        dequantize_row_##T(q, y, k);                                                                       \
        emit(#T, "quantize_row_" #T "_ref", q, sizeof(BLOCK) * (NBLK), y, k);                              \
        const int halfs[] = HALFS;                                                                         \
        random_blocks((uint8_t *) q, sizeof(BLOCK) * (NBLK), sizeof(BLOCK), halfs, NHALF);                 \
        dequantize_row_##T(q, y, k);                                                                       \
        emit(#T, "random blocks", q, sizeof(BLOCK) * (NBLK), y, k);                                        \
        free(x); free(y); free(q);                                                                         \
    } while (0)
#define H1 { 0 }
#define H2 { 0, 2 }
#define H6K { 208 }

int main(void) {
    printf("{\n  \"cases\": [");
    CASE(q4_0, block_q4_0, QK4_0, 8, H1, 1);
    CASE(q4_1, block_q4_1, QK4_1, 8, H2, 2);
    CASE(q5_0, block_q5_0, QK5_0, 8, H1, 1);
    CASE(q5_1, block_q5_1, QK5_1, 8, H2, 2);
    CASE(q8_0, block_q8_0, QK8_0, 8, H1, 1);
    CASE(q4_K, block_q4_K, QK_K, 3, H2, 2);
    CASE(q5_K, block_q5_K, QK_K, 3, H2, 2);
    CASE(q6_K, block_q6_K, QK_K, 3, H6K, 1);

    // Half and bfloat16 conversions: every 97th bit pattern plus the edges (the extension reads these too).
    enum { NH = (65536 + 96) / 97 + 6 };
    uint16_t hs[NH]; float yh[NH], yb[NH];
    int n = 0;
    for (uint32_t h = 0; h < 65536; h += 97) hs[n++] = (uint16_t) h;
    const uint16_t edges[] = { 0x0000, 0x8000, 0x0001, 0x03ff, 0x7bff, 0xfbff };
    for (int i = 0; i < 6; i++) hs[n++] = edges[i];
    for (int i = 0; i < n; i++) {
        ggml_fp16_t f = hs[i];
        yh[i] = GGML_FP16_TO_FP32(f);
        ggml_bf16_t b = { hs[i] };
        yb[i] = GGML_BF16_TO_FP32(b);
    }
    emit("f16", "GGML_FP16_TO_FP32", hs, sizeof(uint16_t) * n, yh, n);
    emit("bf16", "GGML_BF16_TO_FP32", hs, sizeof(uint16_t) * n, yb, n);
    printf("\n  ]\n}\n");
    return 0;
}
