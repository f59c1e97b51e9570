// The hover's strips at every embedding width: a fixed number of cells (max-|v| down-sampling shared with
// the panel's heatmaps), and a hover whose size does not grow with the width (issue 10: at 512 the strips
// turned into raw base64 text and the inspector link disappeared).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STRIP_CELLS, dimsPerCell, renderHoverMarkdown, renderStripSvg, stripLegend, type HoverInput } from '../../src/host/hoverContent';
import { downsampleMaxAbs } from '../../src/shared/downsample';

/** Deterministic values in [-1, 1) with a few large ones, like a random-init row. */
function vector(dim: number, salt: number): Float32Array {
  const v = new Float32Array(dim);
  let h = (salt * 2654435761) >>> 0;
  for (let i = 0; i < dim; i++) {
    h = (Math.imul(h ^ (h >>> 15), 2246822519) + i) >>> 0;
    v[i] = (h / 2 ** 32) * 2 - 1;
  }
  return v;
}

function hover(dim: number): string {
  const tokenVector = vector(dim, 1);
  const positionVector = vector(dim, 2);
  const combinedVector = tokenVector.map((t, i) => t + positionVector[i]!);
  const input: HoverInput = {
    tokenizer: 'gpt2',
    documentUri: 'file:///w/the-verdict.txt',
    result: {
      status: 'ok',
      token: { id: 1464, start: 5, end: 12, bytes: [32, 97], text: ' a' },
      index: 3,
      totalTokens: 5145,
      window: 0,
      position: 3,
      windowStart: 0,
      windowEnd: 20,
      contextLength: 4,
      dim,
      tokenVector,
      positionVector,
      combinedVector,
    },
  };
  return renderHoverMarkdown(input);
}

/** The cells a strip SVG paints, as index → class+opacity ('x' for non-finite). */
function paintedCells(svg: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of svg.matchAll(/<path class="([pnx])"(?: stroke-opacity="([\d.]+)")? d="([^"]+)"\/>/g)) {
    for (const c of m[3]!.matchAll(/M(\d+) \.5h1/g)) out.set(Number(c[1]), m[2] ? `${m[1]}${m[2]}` : m[1]!);
  }
  return out;
}

test('every width from 1 to 4,096 gives at most STRIP_CELLS cells and a hover under 8 KB with three images and the link', () => {
  let largest = 0;
  for (let dim = 1; dim <= 4096; dim++) {
    const md = hover(dim);
    largest = Math.max(largest, md.length);
    const images = [...md.matchAll(/!\[[a-z ]+\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/g)];
    assert.equal(images.length, 3, `dim ${dim}: three strips`);
    for (const [, b64] of images) {
      const svg = Buffer.from(b64!, 'base64').toString('utf8');
      const cells = Number(/viewBox="0 0 (\d+) 1"/.exec(svg)![1]);
      assert.equal(cells, Math.min(dim, STRIP_CELLS), `dim ${dim}: cell count`);
      for (const i of paintedCells(svg).keys()) assert.ok(i < cells, `dim ${dim}: cell ${i} inside the strip`);
    }
    assert.match(md, /\[Open in Token Embeddings inspector\]\(command:tokenEmbeddings\.inspectToken\?/, `dim ${dim}: link`);
  }
  assert.ok(largest < 8 * 1024, `largest hover ${largest} bytes`);
});

test('a down-sampled cell shows the value of largest magnitude of its dimensions, with its sign', () => {
  // 128 dims into 64 cells: pairs. Cell 5 = dims 10, 11 = [0.2, -0.9] → blue at 0.9; cell 6 = [0.6, -0.1] → red 0.6.
  const v = new Float32Array(128);
  v[10] = 0.2;
  v[11] = -0.9;
  v[12] = 0.6;
  v[13] = -0.1;
  v[127] = NaN;
  const cells = paintedCells(renderStripSvg(v, { scale: 1 }));
  assert.equal(cells.get(5), 'n0.9');
  assert.equal(cells.get(6), 'p0.6');
  assert.equal(cells.get(63), 'x', 'a NaN anywhere in a cell marks it');
  assert.equal(cells.size, 3, 'all-zero cells stay background');
  // Same result as the panel's heatmap down-sampling (one implementation).
  const shared = downsampleMaxAbs(v.subarray(0, 126), 1, 126, 1, 63);
  assert.equal(shared[5], Math.fround(-0.9));
});

test('the legend says what a cell is', () => {
  assert.equal(dimsPerCell(64), 1);
  assert.equal(dimsPerCell(768), 12);
  assert.equal(dimsPerCell(4096), 64);
  assert.match(stripLegend(8), /One cell per dimension/);
  assert.match(stripLegend(768), /64 cells of up to 12 dimensions/);
  assert.match(hover(4096), /64 cells of up to 64 dimensions each/);
});
