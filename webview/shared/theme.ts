/**
 * Theme colours for canvases. CSS can use `--vscode-*` variables directly; a canvas needs concrete colours,
 * so hidden probe elements get those variables via media/webview.css and we read their computed `color`
 * (the browser resolves any CSS colour syntax into `rgb(…)` for us).
 */
import type { ThemeKind } from '../../src/shared/webviewProtocol';
import { buildDivergingLut, parseCssColor, type Rgb } from './heatmapMath';
import type { ThemeColors } from './themeColors';

export type { ThemeColors } from './themeColors';

const PROBES = ['negative', 'middle', 'positive', 'foreground', 'muted', 'border', 'highlight'] as const;
type Probe = (typeof PROBES)[number];

function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'highContrastLight';
  if (c.contains('vscode-high-contrast')) return 'highContrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

let probeRoot: HTMLElement | undefined;
function probes(): Record<Probe, HTMLElement> {
  if (!probeRoot) {
    probeRoot = document.createElement('div');
    probeRoot.className = 'theme-probe';
    probeRoot.setAttribute('aria-hidden', 'true');
    for (const p of PROBES) {
      const s = document.createElement('span');
      s.className = `probe-${p}`;
      probeRoot.append(s);
    }
    document.body.append(probeRoot);
  }
  const out = {} as Record<Probe, HTMLElement>;
  for (const p of PROBES) out[p] = probeRoot.querySelector(`.probe-${p}`)!;
  return out;
}

export function readTheme(): ThemeColors {
  const el = probes();
  const css = (p: Probe) => getComputedStyle(el[p]).color;
  const rgb = (p: Probe, fallback: Rgb) => parseCssColor(css(p)) ?? fallback;
  const negative = rgb('negative', [55, 148, 255]);
  const middle = rgb('middle', [30, 30, 30]);
  const positive = rgb('positive', [241, 76, 76]);
  const bodyStyle = getComputedStyle(document.body);
  const fontFamily = bodyStyle.getPropertyValue('--vscode-font-family').trim() || bodyStyle.fontFamily || 'sans-serif';
  const fontSize = parseFloat(bodyStyle.getPropertyValue('--vscode-font-size')) || 13;
  const colors = {
    kind: themeKind(),
    negative,
    middle,
    positive,
    foreground: css('foreground'),
    muted: css('muted'),
    border: css('border'),
    highlight: css('highlight'),
    fontFamily,
    fontSize,
  };
  return { ...colors, lut: buildDivergingLut(negative, middle, positive), key: JSON.stringify(colors) };
}

/**
 * Calls `onChange` when VS Code switches theme: it swaps the body's `vscode-*` classes and rewrites the
 * `--vscode-*` variables in <html>'s style attribute. Returns a disposer.
 */
export function watchTheme(onChange: (t: ThemeColors) => void): () => void {
  let last = readTheme().key;
  let scheduled = false;
  const check = () => {
    scheduled = false;
    const t = readTheme();
    if (t.key !== last) {
      last = t.key;
      onChange(t);
    }
  };
  const observer = new MutationObserver(() => {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(check);
    }
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
