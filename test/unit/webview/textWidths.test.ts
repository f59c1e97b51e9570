// The axis labels' width cache (webview/shared/textWidths.ts): one real measurement per font and text, exact
// widths back, and a bounded size. The browser tests (heatmapAxes, firstPaint) cover the canvas measurer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextWidths } from '../../../webview/shared/textWidths';

/** A real (if simple) measurement: px size from the font string × characters, wide letters wider. */
function measurer() {
  const calls: string[] = [];
  const measure = (font: string, text: string) => {
    calls.push(`${font}|${text}`);
    const px = Number(/(\d+)px/.exec(font)![1]);
    let w = 0;
    for (const ch of text) w += ch === 'm' ? px : px * 0.6;
    return w;
  };
  return { calls, measure };
}

test('TextWidths measures each font and text once and returns the measured width', () => {
  const { calls, measure } = measurer();
  const widths = new TextWidths(measure);
  assert.equal(widths.width('10px a', '100'), 18);
  assert.equal(widths.width('10px a', '100'), 18);
  assert.equal(widths.width('10px a', 'mm'), 20);
  assert.deepEqual(calls, ['10px a|100', '10px a|mm']);
  // The same text in another font is another width, measured for that font.
  assert.equal(widths.width('20px a', '100'), 36);
  assert.deepEqual(calls, ['10px a|100', '10px a|mm', '20px a|100']);
});

test('TextWidths.maxWidth is the widest text, 0 for none', () => {
  const { calls, measure } = measurer();
  const widths = new TextWidths(measure);
  assert.equal(widths.maxWidth('10px a', ['0', '250', 'm', '1000']), 24);
  assert.equal(widths.maxWidth('10px a', []), 0);
  assert.equal(widths.maxWidth('10px a', ['250', '1000']), 24);
  assert.equal(calls.length, 4, 'the second call measures nothing new');
});

test('TextWidths starts again past its limit and stays exact', () => {
  const { calls, measure } = measurer();
  const widths = new TextWidths(measure, 3);
  for (const t of ['1', '22', '333']) widths.width('10px a', t);
  assert.equal(calls.length, 3);
  assert.equal(widths.width('10px a', '4444'), 24, 'a fourth text is measured');
  assert.equal(widths.width('10px a', '1'), 6, 'the older ones were dropped and are measured again');
  assert.equal(calls.length, 5);
  assert.equal(widths.width('10px a', '4444'), 24);
  assert.equal(calls.length, 5, 'kept after the restart');
});
