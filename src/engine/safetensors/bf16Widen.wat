;; bfloat16 → float32 widening for whole-table scans: each bf16 is the top half of a float32, so the float32 bits
;; are the 16 bits shifted left by 16 (exact for every value, NaN payloads included: no float operation happens).
;; widen(src, dst, n): n bf16 at byte offset src (n a multiple of 8) → n float32 at byte offset dst.
;; Rebuild bf16WidenWasm.ts with `node scripts/wasm/build-bf16-widen.mjs` after editing (a unit test checks they agree).
(module
  (memory (export "memory") 1)
  (func (export "widen") (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 1))))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $v (v128.load (local.get $src)))
        (v128.store (local.get $dst) (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $v)) (i32.const 16)))
        (v128.store offset=16 (local.get $dst) (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $v)) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br $eight)))))
