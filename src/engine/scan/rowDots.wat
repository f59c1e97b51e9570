;; Dot products of float32 (dots, dotsAndNorms) or float64 (dots64) rows with a float64 vector, in float64, with exactly the summation order of the JS
;; kernel in rowDots.ts: four accumulators d0..d3 over j mod 4 (here two f64x2 lane pairs), the remainder
;; (dim mod 4) into d0, then ((d0 + d1) + d2) + d3. WebAssembly never fuses a multiply and an add, so every
;; product and sum is the same IEEE operation as in JS: the results are bit-identical.
;; All offsets are byte offsets into the imported memory. Two 8-byte loads, each widened, beat one 16-byte load
;; plus a shuffle (no shuffle-port work).
;; Rebuild rowDotsWasm.ts with `node scripts/wasm/build-row-dots.mjs` after editing (a unit test checks they agree).
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

  ;; ((d0 + d1) + d2) + d3, as JS evaluates d0 + d1 + d2 + d3 (d0 already holds the row's leftover elements)
  (func $total (param $d0 f64) (param $a01 v128) (param $a23 v128) (result f64)
    (f64.add (f64.add (f64.add (local.get $d0) (f64x2.extract_lane 1 (local.get $a01))) (f64x2.extract_lane 0 (local.get $a23))) (f64x2.extract_lane 1 (local.get $a23))))

  ;; dots(block, rows, dim, vector, out): out[r] = row r · vector, for the rows × dim float32 at block;
  ;; vector: dim float64; out: rows float64. Two rows per pass: each row still has its own two accumulator
  ;; pairs in the same order, but four independent add chains keep the adder busy (one row's two chains wait on
  ;; the add latency).
  (func (export "dots") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32)
    (local $r i32) (local $p i32) (local $p2 i32) (local $q i32) (local $j i32) (local $dim4 i32) (local $left i32)
    (local $qlo v128) (local $qhi v128) (local $a01 v128) (local $a23 v128) (local $b01 v128) (local $b23 v128)
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (local.set $left (i32.sub (local.get $dim) (local.get $dim4)))
    (local.set $p (local.get $block))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $r) (i32.const 2)) (local.get $rows)))
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $b01 (v128.const f64x2 0 0))
        (local.set $b23 (v128.const f64x2 0 0))
        (local.set $p2 (i32.add (local.get $p) (i32.shl (local.get $dim) (i32.const 2))))
        (local.set $q (local.get $vector))
        (local.set $j (i32.const 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.ge_s (local.get $j) (local.get $dim4)))
            (local.set $qlo (v128.load (local.get $q)))
            (local.set $qhi (v128.load offset=16 (local.get $q)))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (local.get $qlo))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))) (local.get $qhi))))
            (local.set $b01 (f64x2.add (local.get $b01) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p2))) (local.get $qlo))))
            (local.set $b23 (f64x2.add (local.get $b23) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p2))) (local.get $qhi))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $simd)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $a01)) (local.get $p) (local.get $q) (local.get $left)) (local.get $a01) (local.get $a23)))
        (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $b01)) (local.get $p2) (local.get $q) (local.get $left)) (local.get $b01) (local.get $b23)))
        ;; the next pair starts after row r + 1's leftover elements
        (local.set $p (i32.add (local.get $p2) (i32.shl (local.get $left) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $pairs)))
    ;; an odd last row alone
    (if (i32.lt_u (local.get $r) (local.get $rows))
      (then
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $q (local.get $vector))
        (local.set $j (i32.const 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.ge_s (local.get $j) (local.get $dim4)))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (v128.load (local.get $q)))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))) (v128.load offset=16 (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $simd)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (call $total (call $tail (f64x2.extract_lane 0 (local.get $a01)) (local.get $p) (local.get $q) (local.get $left)) (local.get $a01) (local.get $a23))))))

  ;; dotsAndNorms(block, rows, dim, vector, out, norms): dots as above, and norms[r] = sqrt(row r · row r).
  (func (export "dotsAndNorms") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32) (param $norms i32)
    (local $r i32) (local $p i32) (local $q i32) (local $j i32)
    (local $lo v128) (local $hi v128) (local $a01 v128) (local $a23 v128) (local $d0 f64) (local $x f64)
    (local $n01 v128) (local $n23 v128) (local $n0 f64)
    (local.set $p (local.get $block))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $n01 (v128.const f64x2 0 0))
        (local.set $n23 (v128.const f64x2 0 0))
        (local.set $q (local.get $vector))
        (local.set $j (i32.const 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $dim)))
            (local.set $lo (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
            (local.set $hi (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $lo) (v128.load (local.get $q)))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (local.get $hi) (v128.load offset=16 (local.get $q)))))
            (local.set $n01 (f64x2.add (local.get $n01) (f64x2.mul (local.get $lo) (local.get $lo))))
            (local.set $n23 (f64x2.add (local.get $n23) (f64x2.mul (local.get $hi) (local.get $hi))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $simd)))
        (local.set $d0 (f64x2.extract_lane 0 (local.get $a01)))
        (local.set $n0 (f64x2.extract_lane 0 (local.get $n01)))
        ;; dim mod 4 leftover elements go into the first accumulator, as in the JS kernel
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_s (local.get $j) (local.get $dim)))
            (local.set $x (f64.promote_f32 (f32.load (local.get $p))))
            (local.set $d0 (f64.add (local.get $d0) (f64.mul (local.get $x) (f64.load (local.get $q)))))
            (local.set $n0 (f64.add (local.get $n0) (f64.mul (local.get $x) (local.get $x))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        ;; ((d0 + d1) + d2) + d3, as JS evaluates d0 + d1 + d2 + d3
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64.add (f64.add (local.get $d0) (f64x2.extract_lane 1 (local.get $a01))) (f64x2.extract_lane 0 (local.get $a23))) (f64x2.extract_lane 1 (local.get $a23))))
        (f64.store (i32.add (local.get $norms) (i32.shl (local.get $r) (i32.const 3)))
          (f64.sqrt (f64.add (f64.add (f64.add (local.get $n0) (f64x2.extract_lane 1 (local.get $n01))) (f64x2.extract_lane 0 (local.get $n23))) (f64x2.extract_lane 1 (local.get $n23)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; dots64(block, rows, dim, vector, out): as dots, for rows of float64 (centred data, Gram matrices).
  (func (export "dots64") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32)
    (local $r i32) (local $p i32) (local $q i32) (local $j i32)
    (local $a01 v128) (local $a23 v128) (local $d0 f64)
    (local.set $p (local.get $block))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $a01 (v128.const f64x2 0 0))
        (local.set $a23 (v128.const f64x2 0 0))
        (local.set $q (local.get $vector))
        (local.set $j (i32.const 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $dim)))
            (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
            (local.set $a23 (f64x2.add (local.get $a23) (f64x2.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $simd)))
        (local.set $d0 (f64x2.extract_lane 0 (local.get $a01)))
        ;; dim mod 4 leftover elements go into the first accumulator, as in the JS kernel
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_s (local.get $j) (local.get $dim)))
            (local.set $d0 (f64.add (local.get $d0) (f64.mul (f64.load (local.get $p)) (f64.load (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        ;; ((d0 + d1) + d2) + d3, as JS evaluates d0 + d1 + d2 + d3
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64.add (f64.add (local.get $d0) (f64x2.extract_lane 1 (local.get $a01))) (f64x2.extract_lane 0 (local.get $a23))) (f64x2.extract_lane 1 (local.get $a23))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; ── Screening kernels: float32 rows · a float32 vector, summed in float32 ─────────────────────────────────────
  ;; Not exact and not in the order above: the nearest-token scan uses them only to rule rows out, with a bound on
  ;; their error that holds for any summation order (src/engine/scan/screenBound.ts), and computes every row that
  ;; might rank with the exact kernels above. Four float32 lanes per operation and no widening make them ~2.5×
  ;; faster than `dots` and dotsAndNorms on Node 20. `vector` here is dim float32; outputs are float32.

  ;; s plus the n leftover elements (dim mod 4) of a row at p times the vector's at q.
  (func $screenTail (param $s f32) (param $p i32) (param $q i32) (param $n i32) (result f32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $p)) (f32.load (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $s))

  ;; As $screenTail, with the squares of the same elements summed into n0 beside it.
  (func $screenTailNorm (param $s f32) (param $n0 f32) (param $p i32) (param $q i32) (param $n i32) (result f32 f32)
    (local $x f32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $x (f32.load (local.get $p)))
        (local.set $s (f32.add (local.get $s) (f32.mul (local.get $x) (f32.load (local.get $q)))))
        (local.set $n0 (f32.add (local.get $n0) (f32.mul (local.get $x) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $s) (local.get $n0))

  ;; The four lanes of a float32 accumulator, summed.
  (func $lanes (param $a v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
      (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))

  ;; One row at p · the vector at q: two accumulators over steps of eight elements, a step of four into the first
  ;; if dim has one, then the dim mod 4 leftover elements.
  (func $screenDot1 (param $p i32) (param $q i32) (param $dim i32) (result f32)
    (local $end i32) (local $a0 v128) (local $a1 v128)
    (local.set $end (i32.add (local.get $q) (i32.shl (i32.and (local.get $dim) (i32.const -8)) (i32.const 2))))
    (block $simdDone
      (loop $simd
        (br_if $simdDone (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $q (i32.add (local.get $q) (i32.const 32)))
        (br $simd)))
    (if (i32.and (local.get $dim) (i32.const 4))
      (then
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))))
    (call $screenTail (call $lanes (f32x4.add (local.get $a0) (local.get $a1))) (local.get $p) (local.get $q) (i32.and (local.get $dim) (i32.const 3))))

  ;; screenDots(block, rows, dim, vector, out): out[r] ≈ row r · vector. Three rows per pass, each as $screenDot1
  ;; (six independent add chains: the fastest shape V8 compiles here), then the last rows one at a time.
  (func (export "screenDots") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32)
    (local $r i32) (local $stride i32) (local $end i32) (local $left i32) (local $at i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $q i32) (local $v0 v128) (local $v1 v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $c0 v128) (local $c1 v128)
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end (i32.add (local.get $vector) (i32.shl (i32.and (local.get $dim) (i32.const -8)) (i32.const 2))))
    (local.set $left (i32.and (local.get $dim) (i32.const 3)))
    (block $triplesDone
      (loop $triples
        (br_if $triplesDone (i32.gt_u (i32.add (local.get $r) (i32.const 3)) (local.get $rows)))
        (local.set $p0 (i32.add (local.get $block) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $p1 (i32.add (local.get $p0) (local.get $stride)))
        (local.set $p2 (i32.add (local.get $p1) (local.get $stride)))
        (local.set $q (local.get $vector))
        (local.set $a0 (v128.const f32x4 0 0 0 0)) (local.set $a1 (v128.const f32x4 0 0 0 0))
        (local.set $b0 (v128.const f32x4 0 0 0 0)) (local.set $b1 (v128.const f32x4 0 0 0 0))
        (local.set $c0 (v128.const f32x4 0 0 0 0)) (local.set $c1 (v128.const f32x4 0 0 0 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $v0 (v128.load (local.get $q)))
            (local.set $v1 (v128.load offset=16 (local.get $q)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $p0)) (local.get $v0))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=16 (local.get $p0)) (local.get $v1))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (v128.load (local.get $p1)) (local.get $v0))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (v128.load offset=16 (local.get $p1)) (local.get $v1))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load (local.get $p2)) (local.get $v0))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (v128.load offset=16 (local.get $p2)) (local.get $v1))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 32)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 32)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $simd)))
        (if (i32.and (local.get $dim) (i32.const 4))
          (then
            (local.set $v0 (v128.load (local.get $q)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $p0)) (local.get $v0))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (v128.load (local.get $p1)) (local.get $v0))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load (local.get $p2)) (local.get $v0))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))))
        (local.set $at (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))))
        (f32.store (local.get $at) (call $screenTail (call $lanes (f32x4.add (local.get $a0) (local.get $a1))) (local.get $p0) (local.get $q) (local.get $left)))
        (f32.store offset=4 (local.get $at) (call $screenTail (call $lanes (f32x4.add (local.get $b0) (local.get $b1))) (local.get $p1) (local.get $q) (local.get $left)))
        (f32.store offset=8 (local.get $at) (call $screenTail (call $lanes (f32x4.add (local.get $c0) (local.get $c1))) (local.get $p2) (local.get $q) (local.get $left)))
        (local.set $r (i32.add (local.get $r) (i32.const 3)))
        (br $triples)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (call $screenDot1 (i32.add (local.get $block) (i32.mul (local.get $r) (local.get $stride))) (local.get $vector) (local.get $dim)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; One row at p: (row · the vector at q, row · row), one accumulator each over steps of four elements, then the
  ;; dim mod 4 leftover elements.
  (func $screenDotNorm1 (param $p i32) (param $q i32) (param $dim i32) (result f32 f32)
    (local $end i32) (local $x v128) (local $d v128) (local $n v128)
    (local.set $end (i32.add (local.get $q) (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2))))
    (block $simdDone
      (loop $simd
        (br_if $simdDone (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $d (f32x4.add (local.get $d) (f32x4.mul (local.get $x) (v128.load (local.get $q)))))
        (local.set $n (f32x4.add (local.get $n) (f32x4.mul (local.get $x) (local.get $x))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $simd)))
    (call $screenTailNorm (call $lanes (local.get $d)) (call $lanes (local.get $n)) (local.get $p) (local.get $q) (i32.and (local.get $dim) (i32.const 3))))

  ;; screenDotsAndNorms(block, rows, dim, vector, out, norms2): out as screenDots, norms2[r] ≈ row r · row r (the
  ;; squared norm). Four rows per pass, each as $screenDotNorm1 (eight independent add chains), then the last rows
  ;; one at a time.
  (func (export "screenDotsAndNorms") (param $block i32) (param $rows i32) (param $dim i32) (param $vector i32) (param $out i32) (param $norms2 i32)
    (local $r i32) (local $stride i32) (local $end i32) (local $left i32) (local $at i32) (local $sd f32) (local $sn f32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $q i32) (local $v v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $n0 v128) (local $n1 v128) (local $n2 v128) (local $n3 v128)
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end (i32.add (local.get $vector) (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2))))
    (local.set $left (i32.and (local.get $dim) (i32.const 3)))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $p0 (i32.add (local.get $block) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $p1 (i32.add (local.get $p0) (local.get $stride)))
        (local.set $p2 (i32.add (local.get $p1) (local.get $stride)))
        (local.set $p3 (i32.add (local.get $p2) (local.get $stride)))
        (local.set $q (local.get $vector))
        (local.set $d0 (v128.const f32x4 0 0 0 0)) (local.set $n0 (v128.const f32x4 0 0 0 0))
        (local.set $d1 (v128.const f32x4 0 0 0 0)) (local.set $n1 (v128.const f32x4 0 0 0 0))
        (local.set $d2 (v128.const f32x4 0 0 0 0)) (local.set $n2 (v128.const f32x4 0 0 0 0))
        (local.set $d3 (v128.const f32x4 0 0 0 0)) (local.set $n3 (v128.const f32x4 0 0 0 0))
        (block $simdDone
          (loop $simd
            (br_if $simdDone (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $v (v128.load (local.get $q)))
            (local.set $x0 (v128.load (local.get $p0)))
            (local.set $x1 (v128.load (local.get $p1)))
            (local.set $x2 (v128.load (local.get $p2)))
            (local.set $x3 (v128.load (local.get $p3)))
            (local.set $d0 (f32x4.add (local.get $d0) (f32x4.mul (local.get $x0) (local.get $v))))
            (local.set $n0 (f32x4.add (local.get $n0) (f32x4.mul (local.get $x0) (local.get $x0))))
            (local.set $d1 (f32x4.add (local.get $d1) (f32x4.mul (local.get $x1) (local.get $v))))
            (local.set $n1 (f32x4.add (local.get $n1) (f32x4.mul (local.get $x1) (local.get $x1))))
            (local.set $d2 (f32x4.add (local.get $d2) (f32x4.mul (local.get $x2) (local.get $v))))
            (local.set $n2 (f32x4.add (local.get $n2) (f32x4.mul (local.get $x2) (local.get $x2))))
            (local.set $d3 (f32x4.add (local.get $d3) (f32x4.mul (local.get $x3) (local.get $v))))
            (local.set $n3 (f32x4.add (local.get $n3) (f32x4.mul (local.get $x3) (local.get $x3))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $simd)))
        ;; each row's lanes, then its leftover elements (the rows' pointers sit at their leftovers)
        (local.set $at (i32.shl (local.get $r) (i32.const 2)))
        (call $screenTailNorm (call $lanes (local.get $d0)) (call $lanes (local.get $n0)) (local.get $p0) (local.get $q) (local.get $left))
        (local.set $sn) (local.set $sd)
        (f32.store (i32.add (local.get $out) (local.get $at)) (local.get $sd))
        (f32.store (i32.add (local.get $norms2) (local.get $at)) (local.get $sn))
        (call $screenTailNorm (call $lanes (local.get $d1)) (call $lanes (local.get $n1)) (local.get $p1) (local.get $q) (local.get $left))
        (local.set $sn) (local.set $sd)
        (f32.store offset=4 (i32.add (local.get $out) (local.get $at)) (local.get $sd))
        (f32.store offset=4 (i32.add (local.get $norms2) (local.get $at)) (local.get $sn))
        (call $screenTailNorm (call $lanes (local.get $d2)) (call $lanes (local.get $n2)) (local.get $p2) (local.get $q) (local.get $left))
        (local.set $sn) (local.set $sd)
        (f32.store offset=8 (i32.add (local.get $out) (local.get $at)) (local.get $sd))
        (f32.store offset=8 (i32.add (local.get $norms2) (local.get $at)) (local.get $sn))
        (call $screenTailNorm (call $lanes (local.get $d3)) (call $lanes (local.get $n3)) (local.get $p3) (local.get $q) (local.get $left))
        (local.set $sn) (local.set $sd)
        (f32.store offset=12 (i32.add (local.get $out) (local.get $at)) (local.get $sd))
        (f32.store offset=12 (i32.add (local.get $norms2) (local.get $at)) (local.get $sn))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quads)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $at (i32.shl (local.get $r) (i32.const 2)))
        (call $screenDotNorm1 (i32.add (local.get $block) (i32.mul (local.get $r) (local.get $stride))) (local.get $vector) (local.get $dim))
        (local.set $sn) (local.set $sd)
        (f32.store (i32.add (local.get $out) (local.get $at)) (local.get $sd))
        (f32.store (i32.add (local.get $norms2) (local.get $at)) (local.get $sn))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
