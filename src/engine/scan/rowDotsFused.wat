;; The fused twin of rowDots.wat's float32 kernels (dots, dotsAndNorms): relaxed SIMD's f64x2.relaxed_madd in place
;; of f64x2.mul + f64x2.add, with the same accumulators in the same order, so the results are the same bit for bit.
;; Why: a float32 row value times a float32 vector value is exact in float64 (24 + 24 significand bits ≤ 53, and
;; their exponents stay far inside float64's range), so the product rounding that fusing skips never changed
;; anything: madd and mul + add each round once, at the add, to the same value. relaxed_madd may run fused or not
;; (the runtime picks): both give that value. RowDots runs this module only while every vector value is a float32.
;; What it buys: one fused operation instead of two, and enough independent chains (four rows per pass in dots, two
;; rows × dot and norm in dotsAndNorms: eight chains) to cover the fused operation's latency.
;; Runtimes without relaxed SIMD (Node 20 without --experimental-wasm-relaxed-simd) reject this module, and
;; rowDots.wat runs. The leftover elements (dim mod 4) and the final sums are rowDots.wat's scalar code.
;; Rebuild rowDotsFusedWasm.ts with `node scripts/wasm/build-row-dots.mjs` after editing (a unit test checks they agree).
(module
  (import "env" "memory" (memory 1))

  ;; d0 plus the n leftover elements (dim mod 4) of a row at p times the vector's at q, in order (the JS kernel's
  ;; remainder goes into its first accumulator).
  (func $tail (param $d0 f64) (param $p i32) (param $q i32) (param $n i32) (result f64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $d0 (f64.add (local.get $d0) (f64.mul (f64.promote_f32 (f32.load (local.get $p))) (f64.load (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $d0))

  ;; As $tail, with the squares of the same elements summed into n0 beside it.
  (func $tailNorm (param $d0 f64) (param $n0 f64) (param $p i32) (param $q i32) (param $n i32) (result f64 f64)
    (local $x f64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $x (f64.promote_f32 (f32.load (local.get $p))))
        (local.set $d0 (f64.add (local.get $d0) (f64.mul (local.get $x) (f64.load (local.get $q)))))
        (local.set $n0 (f64.add (local.get $n0) (f64.mul (local.get $x) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $d0) (local.get $n0))

  ;; ((d0 + d1) + d2) + d3, as JS evaluates d0 + d1 + d2 + d3 (d0 already holds the row's leftover elements)
  (func $total (param $d0 f64) (param $a01 v128) (param $a23 v128) (result f64)
    (f64.add (f64.add (f64.add (local.get $d0) (f64x2.extract_lane 1 (local.get $a01))) (f64x2.extract_lane 0 (local.get $a23))) (f64x2.extract_lane 1 (local.get $a23))))

  ;; One row at p: row · vector (the vector's first dim − dim mod 4 values end at qEnd, `left` more follow).
  (func $dot1 (param $p i32) (param $vector i32) (param $qEnd i32) (param $left i32) (result f64)
    (local $q i32) (local $a01 v128) (local $a23 v128)
    (local.set $q (local.get $vector))
    (block $simdDone
      (loop $simd
        (br_if $simdDone (i32.ge_u (local.get $q) (local.get $qEnd)))
        (local.set $a01 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (v128.load (local.get $q)) (local.get $a01)))
        (local.set $a23 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))) (v128.load offset=16 (local.get $q)) (local.get $a23)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 32)))
        (br $simd)))
    (call $total (call $tail (f64x2.extract_lane 0 (local.get $a01)) (local.get $p) (local.get $q) (local.get $left)) (local.get $a01) (local.get $a23)))

  ;; dots(block, rows, dim, vector, out): out[r] = row r · vector, as rowDots.wat's dots; four rows per pass, then
  ;; up to three rows one at a time.
  (func (export "dots") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32)
    (local $r i32) (local $p i32) (local $p2 i32) (local $p3 i32) (local $p4 i32) (local $q i32) (local $qEnd i32) (local $left i32) (local $stride i32)
    (local $qlo v128) (local $qhi v128) (local $a01 v128) (local $a23 v128) (local $b01 v128) (local $b23 v128)
    (local $c01 v128) (local $c23 v128) (local $e01 v128) (local $e23 v128)
    (local.set $left (i32.and (local.get $dim) (i32.const 3)))
    (local.set $qEnd (i32.add (local.get $vector) (i32.shl (i32.sub (local.get $dim) (local.get $left)) (i32.const 3))))
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $p (local.get $block))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $a01 (v128.const f64x2 0 0)) (local.set $a23 (v128.const f64x2 0 0)) (local.set $b01 (v128.const f64x2 0 0)) (local.set $b23 (v128.const f64x2 0 0))
        (local.set $c01 (v128.const f64x2 0 0)) (local.set $c23 (v128.const f64x2 0 0)) (local.set $e01 (v128.const f64x2 0 0)) (local.set $e23 (v128.const f64x2 0 0))
        (local.set $p2 (i32.add (local.get $p) (local.get $stride)))
        (local.set $p3 (i32.add (local.get $p2) (local.get $stride)))
        (local.set $p4 (i32.add (local.get $p3) (local.get $stride)))
        (local.set $q (local.get $vector))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.ge_u (local.get $q) (local.get $qEnd)))
            (local.set $qlo (v128.load (local.get $q)))
            (local.set $qhi (v128.load offset=16 (local.get $q)))
            (local.set $a01 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (local.get $qlo) (local.get $a01)))
            (local.set $a23 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))) (local.get $qhi) (local.get $a23)))
            (local.set $b01 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p2))) (local.get $qlo) (local.get $b01)))
            (local.set $b23 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p2))) (local.get $qhi) (local.get $b23)))
            (local.set $c01 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p3))) (local.get $qlo) (local.get $c01)))
            (local.set $c23 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p3))) (local.get $qhi) (local.get $c23)))
            (local.set $e01 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p4))) (local.get $qlo) (local.get $e01)))
            (local.set $e23 (f64x2.relaxed_madd (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p4))) (local.get $qhi) (local.get $e23)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
            (local.set $p4 (i32.add (local.get $p4) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $simd)))
        (f64.store offset=0 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $a01)) (local.get $p) (local.get $q) (local.get $left)) (local.get $a01) (local.get $a23)))
        (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $b01)) (local.get $p2) (local.get $q) (local.get $left)) (local.get $b01) (local.get $b23)))
        (f64.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $c01)) (local.get $p3) (local.get $q) (local.get $left)) (local.get $c01) (local.get $c23)))
        (f64.store offset=24 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $e01)) (local.get $p4) (local.get $q) (local.get $left)) (local.get $e01) (local.get $e23)))
        ;; the next four start after row r + 3's leftover elements
        (local.set $p (i32.add (local.get $p4) (i32.shl (local.get $left) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quads)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (call $dot1 (local.get $p) (local.get $vector) (local.get $qEnd) (local.get $left)))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; dotsAndNorms(block, rows, dim, vector, out, norms): dots as above, and norms[r] = sqrt(row r · row r), as
  ;; rowDots.wat's dotsAndNorms; two rows per pass. An odd last row is paired with itself and stored once.
  (func (export "dotsAndNorms") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32) (param $norms i32)
    (local $r i32) (local $p i32) (local $p2 i32) (local $q i32) (local $qEnd i32) (local $left i32) (local $stride i32) (local $d0 f64) (local $n0 f64)
    (local $qlo v128) (local $qhi v128) (local $lo v128) (local $hi v128) (local $lo2 v128) (local $hi2 v128)
    (local $a01 v128) (local $a23 v128) (local $n01 v128) (local $n23 v128) (local $b01 v128) (local $b23 v128) (local $m01 v128) (local $m23 v128)
    (local.set $left (i32.and (local.get $dim) (i32.const 3)))
    (local.set $qEnd (i32.add (local.get $vector) (i32.shl (i32.sub (local.get $dim) (local.get $left)) (i32.const 3))))
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $p (local.get $block))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $p2 (select (local.get $p) (i32.add (local.get $p) (local.get $stride)) (i32.eq (i32.add (local.get $r) (i32.const 1)) (local.get $rows))))
        (local.set $a01 (v128.const f64x2 0 0)) (local.set $a23 (v128.const f64x2 0 0)) (local.set $n01 (v128.const f64x2 0 0)) (local.set $n23 (v128.const f64x2 0 0))
        (local.set $b01 (v128.const f64x2 0 0)) (local.set $b23 (v128.const f64x2 0 0)) (local.set $m01 (v128.const f64x2 0 0)) (local.set $m23 (v128.const f64x2 0 0))
        (local.set $q (local.get $vector))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.ge_u (local.get $q) (local.get $qEnd)))
            (local.set $qlo (v128.load (local.get $q)))
            (local.set $qhi (v128.load offset=16 (local.get $q)))
            (local.set $lo (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
            (local.set $hi (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))))
            (local.set $lo2 (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p2))))
            (local.set $hi2 (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p2))))
            (local.set $a01 (f64x2.relaxed_madd (local.get $lo) (local.get $qlo) (local.get $a01)))
            (local.set $a23 (f64x2.relaxed_madd (local.get $hi) (local.get $qhi) (local.get $a23)))
            (local.set $n01 (f64x2.relaxed_madd (local.get $lo) (local.get $lo) (local.get $n01)))
            (local.set $n23 (f64x2.relaxed_madd (local.get $hi) (local.get $hi) (local.get $n23)))
            (local.set $b01 (f64x2.relaxed_madd (local.get $lo2) (local.get $qlo) (local.get $b01)))
            (local.set $b23 (f64x2.relaxed_madd (local.get $hi2) (local.get $qhi) (local.get $b23)))
            (local.set $m01 (f64x2.relaxed_madd (local.get $lo2) (local.get $lo2) (local.get $m01)))
            (local.set $m23 (f64x2.relaxed_madd (local.get $hi2) (local.get $hi2) (local.get $m23)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $simd)))
        (call $tailNorm (f64x2.extract_lane 0 (local.get $a01)) (f64x2.extract_lane 0 (local.get $n01)) (local.get $p) (local.get $q) (local.get $left))
        (local.set $n0)
        (local.set $d0)
        (f64.store offset=0 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (call $total (local.get $d0) (local.get $a01) (local.get $a23)))
        (f64.store offset=0 (i32.add (local.get $norms) (i32.shl (local.get $r) (i32.const 3))) (f64.sqrt (call $total (local.get $n0) (local.get $n01) (local.get $n23))))
        (if (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $rows))
          (then
            (call $tailNorm (f64x2.extract_lane 0 (local.get $b01)) (f64x2.extract_lane 0 (local.get $m01)) (local.get $p2) (local.get $q) (local.get $left))
            (local.set $n0)
            (local.set $d0)
            (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (call $total (local.get $d0) (local.get $b01) (local.get $b23)))
            (f64.store offset=8 (i32.add (local.get $norms) (i32.shl (local.get $r) (i32.const 3))) (f64.sqrt (call $total (local.get $n0) (local.get $m01) (local.get $m23))))
))
        ;; the next pair starts after row r + 1's leftover elements
        (local.set $p (i32.add (local.get $p2) (i32.shl (local.get $left) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $pairs))))
)
