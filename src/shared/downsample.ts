/**
 * Max-|v| down-sampling of a row-major grid, shared by the webview heatmaps (webview/shared/heatmapMath.ts),
 * the engine's paint preview for them (src/engine/analysis/paintPreview.ts) and the editor hover's strips
 * (src/host/hoverContent.ts). Pure: no DOM, no Node, no `vscode`.
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
  if (outCols === cols) return foldRows(values, rows, cols, outRows);
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

/**
 * downsampleMaxAbs when only rows are folded (the common case: every dimension fits the plot's width): the
 * same result, row by row over contiguous memory, about 2.5× faster than visiting each one-column bin.
 */
function foldRows(values: ArrayLike<number>, rows: number, cols: number, outRows: number): Float32Array {
  const out = new Float32Array(outRows * cols);
  const bestAbs = new Float64Array(cols);
  for (let r = 0; r < outRows; r++) {
    const [r0, r1] = binRange(r, rows, outRows);
    const o = r * cols;
    bestAbs.fill(-1);
    for (let rr = r0; rr < r1; rr++) {
      const base = rr * cols;
      for (let c = 0; c < cols; c++) {
        const v = values[base + c]!;
        const a = Math.abs(v);
        if (a > bestAbs[c]!) {
          bestAbs[c] = a;
          out[o + c] = v;
        }
      }
    }
  }
  return out;
}

export interface DownsamplePlan {
  outRows: number;
  outCols: number;
  /** Largest number of source rows / columns folded into one output cell (1 = no down-sampling). */
  rowsPerCell: number;
  colsPerCell: number;
}

/** Fit a rows × cols grid into at most maxRows × maxCols bitmap cells (device pixels). */
export function planDownsample(rows: number, cols: number, maxRows: number, maxCols: number): DownsamplePlan {
  const outRows = Math.max(1, Math.min(rows, Math.floor(maxRows)));
  const outCols = Math.max(1, Math.min(cols, Math.floor(maxCols)));
  return { outRows, outCols, rowsPerCell: Math.ceil(rows / outRows), colsPerCell: Math.ceil(cols / outCols) };
}
