// Driver for gen-gguf-fixture.sh: writes a small GGUF file with ggml's own writer (gguf.cpp: every scalar value
// type, string and numeric arrays, general.alignment, a gpt2-style tokenizer, tensors of several types with
// data from ggml's reference quantizers), then reads it back with ggml's own reader and prints what that reader
// sees as JSON (key/values, tensor infos, data offset) plus the dequantized rows of token_embd.weight.
#include "ggml.h"
#include "gguf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <inttypes.h>
#include <math.h>

void quantize_row_q6_K_ref(const float * x, void * y, int64_t k);
void dequantize_row_q6_K(const void * x, float * y, int64_t k);
void quantize_row_q8_0_ref(const float * x, void * y, int64_t k);

static void hex(const void * p, size_t n) {
    const uint8_t * b = (const uint8_t *) p;
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
}

int main(int argc, char ** argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s OUT.gguf\n", argv[0]); return 2; }
    struct gguf_context * g = gguf_init_empty();
    gguf_set_val_str (g, "general.architecture", "gpt2");
    // ggml lays tensors out with the alignment in effect when each is added (32), so declare that one.
    gguf_set_val_u32 (g, "general.alignment", 32);
    gguf_set_val_u8  (g, "test.u8", 250);
    gguf_set_val_i8  (g, "test.i8", -5);
    gguf_set_val_u16 (g, "test.u16", 65535);
    gguf_set_val_i16 (g, "test.i16", -32768);
    gguf_set_val_u32 (g, "test.u32", 4294967295u);
    gguf_set_val_i32 (g, "test.i32", -2147483647 - 1);
    gguf_set_val_f32 (g, "test.f32", 0.1f);
    gguf_set_val_bool(g, "test.bool", true);
    gguf_set_val_str (g, "test.string", "h\xc3\xa9llo \xe2\x9c\x93");
    gguf_set_val_u64 (g, "test.u64", UINT64_MAX);
    gguf_set_val_i64 (g, "test.i64", INT64_MIN);
    gguf_set_val_f64 (g, "test.f64", 0.1);
    gguf_set_val_u32 (g, "gpt2.context_length", 1024);
    gguf_set_val_u32 (g, "gpt2.embedding_length", 256);
    const float scores[4] = { 0.0f, -1.5f, 2.25f, -0.0f };
    gguf_set_arr_data(g, "test.f32s", GGUF_TYPE_FLOAT32, scores, 4);
    const int64_t i64s[3] = { INT64_MIN, 0, INT64_MAX };
    gguf_set_arr_data(g, "test.i64s", GGUF_TYPE_INT64, i64s, 3);
    const char * tokens[4] = { "a", "b", "ab", "\xc4\xa0" "ab" };
    gguf_set_val_str (g, "tokenizer.ggml.model", "gpt2");
    gguf_set_val_str (g, "tokenizer.ggml.pre", "gpt-2");
    gguf_set_arr_str (g, "tokenizer.ggml.tokens", tokens, 4);
    const int32_t types[4] = { 1, 1, 1, 1 };
    gguf_set_arr_data(g, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types, 4);
    const char * merges[1] = { "a b" };
    gguf_set_arr_str (g, "tokenizer.ggml.merges", merges, 1);

    struct ggml_init_params ip = { 16 * 1024 * 1024, NULL, false };
    struct ggml_context * ctx = ggml_init(ip);
    // token_embd.weight: Q6_K, ne = [256, 4] (n_embd 256, 4 rows), from ggml's reference quantizer.
    struct ggml_tensor * emb = ggml_new_tensor_2d(ctx, GGML_TYPE_Q6_K, 256, 4);
    ggml_set_name(emb, "token_embd.weight");
    float x[1024];
    for (int i = 0; i < 1024; i++) x[i] = sinf(i * 0.37f) * (1 + (i / 256)) + (i % 7) * 0.01f;
    quantize_row_q6_K_ref(x, emb->data, 1024);
    gguf_add_tensor(g, emb);
    struct ggml_tensor * norm = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, 5);
    ggml_set_name(norm, "output_norm.weight");
    for (int i = 0; i < 5; i++) ((float *) norm->data)[i] = i * 0.5f;
    gguf_add_tensor(g, norm);
    struct ggml_tensor * q8 = ggml_new_tensor_2d(ctx, GGML_TYPE_Q8_0, 64, 3);
    ggml_set_name(q8, "blk.0.attn_q.weight");
    quantize_row_q8_0_ref(x, q8->data, 192);
    gguf_add_tensor(g, q8);
    struct ggml_tensor * h = ggml_new_tensor_3d(ctx, GGML_TYPE_F16, 3, 2, 2);
    ggml_set_name(h, "blk.0.f16");
    for (int i = 0; i < 12; i++) ((ggml_fp16_t *) h->data)[i] = ggml_fp32_to_fp16(i - 6.0f);
    gguf_add_tensor(g, h);
    if (!gguf_write_to_file(g, argv[1], false)) { fprintf(stderr, "write failed\n"); return 1; }

    // Read it back with ggml's reader and print its view.
    struct ggml_context * meta = NULL;
    struct gguf_init_params rp = { true, &meta };
    struct gguf_context * r = gguf_init_from_file(argv[1], rp);
    if (!r) { fprintf(stderr, "read failed\n"); return 1; }
    printf("{\n  \"version\": %u,\n  \"alignment\": %zu,\n  \"dataOffset\": %zu,\n  \"kv\": [", gguf_get_version(r), gguf_get_alignment(r), gguf_get_data_offset(r));
    for (int64_t i = 0; i < gguf_get_n_kv(r); i++) {
        const enum gguf_type t = gguf_get_kv_type(r, i);
        printf("%s\n    {\"key\": \"%s\", \"type\": \"%s\", \"value\": ", i ? "," : "", gguf_get_key(r, i), gguf_type_name(t));
        switch (t) {
            case GGUF_TYPE_UINT8:   printf("%u", gguf_get_val_u8(r, i)); break;
            case GGUF_TYPE_INT8:    printf("%d", gguf_get_val_i8(r, i)); break;
            case GGUF_TYPE_UINT16:  printf("%u", gguf_get_val_u16(r, i)); break;
            case GGUF_TYPE_INT16:   printf("%d", gguf_get_val_i16(r, i)); break;
            case GGUF_TYPE_UINT32:  printf("%u", gguf_get_val_u32(r, i)); break;
            case GGUF_TYPE_INT32:   printf("%d", gguf_get_val_i32(r, i)); break;
            case GGUF_TYPE_FLOAT32: printf("%.9g", gguf_get_val_f32(r, i)); break;
            case GGUF_TYPE_BOOL:    printf("%s", gguf_get_val_bool(r, i) ? "true" : "false"); break;
            case GGUF_TYPE_STRING:  printf("\"%s\"", gguf_get_val_str(r, i)); break;
            case GGUF_TYPE_UINT64:  printf("\"%" PRIu64 "\"", gguf_get_val_u64(r, i)); break;
            case GGUF_TYPE_INT64:   printf("\"%" PRId64 "\"", gguf_get_val_i64(r, i)); break;
            case GGUF_TYPE_FLOAT64: printf("%.17g", gguf_get_val_f64(r, i)); break;
            case GGUF_TYPE_ARRAY: {
                const enum gguf_type at = gguf_get_arr_type(r, i);
                const size_t n = gguf_get_arr_n(r, i);
                printf("{\"elementType\": \"%s\", \"items\": [", gguf_type_name(at));
                for (size_t j = 0; j < n; j++) {
                    if (j) printf(", ");
                    if (at == GGUF_TYPE_STRING) printf("\"%s\"", gguf_get_arr_str(r, i, j));
                    else if (at == GGUF_TYPE_FLOAT32) printf("%.9g", ((const float *) gguf_get_arr_data(r, i))[j]);
                    else if (at == GGUF_TYPE_INT32) printf("%d", ((const int32_t *) gguf_get_arr_data(r, i))[j]);
                    else if (at == GGUF_TYPE_INT64) printf("\"%" PRId64 "\"", ((const int64_t *) gguf_get_arr_data(r, i))[j]);
                }
                printf("]}");
                break;
            }
            default: printf("null");
        }
        printf("}");
    }
    printf("\n  ],\n  \"tensors\": [");
    for (int64_t i = 0; i < gguf_get_n_tensors(r); i++) {
        const struct ggml_tensor * t = ggml_get_tensor(meta, gguf_get_tensor_name(r, i));
        printf("%s\n    {\"name\": \"%s\", \"type\": \"%s\", \"ne\": [%" PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 "], \"nDims\": %d, \"offset\": %zu, \"size\": %zu}",
               i ? "," : "", gguf_get_tensor_name(r, i), ggml_type_name(gguf_get_tensor_type(r, i)), t->ne[0], t->ne[1], t->ne[2], t->ne[3],
               ggml_n_dims(t), gguf_get_tensor_offset(r, i), gguf_get_tensor_size(r, i));
    }
    float y[1024];
    dequantize_row_q6_K(emb->data, y, 1024);
    printf("\n  ],\n  \"tokenEmbdValues\": \"");
    hex(y, sizeof(y));
    printf("\"\n}\n");
    gguf_free(r);
    ggml_free(meta);
    gguf_free(g);
    ggml_free(ctx);
    return 0;
}
