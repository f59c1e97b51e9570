/**
 * Max-|v| down-sampling of a row-major grid, shared by the webview heatmaps (webview/shared/heatmapMath.ts)
 * and the editor hover's strips (src/host/hoverContent.ts). Pure: no DOM, no Node, no `vscode`.
 */

/** Source index range [start, end) that output bin `i` of `outN` covers in a length-`n` axis. */
export function binRange(i: number, n: number, outN: number): [number, number] {
  return [Math.floor((i * n) / outN), Math.max(Math.floor((i * n) / outN) + 1, Math.floor(((i + 1) * n) / outN))];
}

/**
 * Shrinks a row-major grid to outRows × outCols keeping, per output cell, the value of largest magnitude
 * (with its sign): averaging would wash random-normal embeddings out to the middle colour and hide outliers.
 */
export function downsampleMaxAbs(values: ArrayLike<number>, rows: number, cols: number, outRows: number, outCols: number): Float32Array {
  const out = new Float32Array(outRows * outCols);
  // Column bins are the same for every row: compute them once.
  const colStart = new Int32Array(outCols);
  const colEnd = new Int32Array(outCols);
  for (let c = 0; c < outCols; c++) [colStart[c], colEnd[c]] = binRange(c, cols, outCols);
  for (let r = 0; r < outRows; r++) {
    const [r0, r1] = binRange(r, rows, outRows);
    for (let c = 0; c < outCols; c++) {
      let best = 0;
      let bestAbs = -1;
      for (let rr = r0; rr < r1; rr++) {
        const base = rr * cols;
        for (let cc = colStart[c]!; cc < colEnd[c]!; cc++) {
          const v = values[base + cc]!;
          const a = Math.abs(v);
          if (a > bestAbs) {
            bestAbs = a;
            best = v;
          }
        }
      }
      out[r * outCols + c] = best;
    }
  }
  return out;
}
