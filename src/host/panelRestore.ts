/**
 * The inspector panel after a window reload: VS Code hands the WebviewPanelSerializer the panel's webview state
 * (webview/shared/persist.ts StoredView), whose `restore` part says which range of which document the panel
 * inspected and with which settings. That state round-trips through the webview, so it is checked here field
 * by field like any webview message. Pure: unit-tested without VS Code.
 */
import { tokenizerKey, type EmbeddingSettings } from '../shared/embeddingTypes';
import type { PanelRestore } from '../shared/webviewProtocol';
import { parseSettingsChange, type ChangeSettings, type Parsed } from './webviewMessages';
import { MAX_OFFSET, isIntegerIn } from '../shared/limits';
import { normalizeSeed } from './settings';

export interface RestoredPanel {
  restore: PanelRestore;
  selectedRow: number | null;
}

const MAX_URI = 8192;
const SETTINGS_FIELDS = ['tokenizer', 'allowSpecial', 'dim', 'contextLength', 'stride', 'batchSize', 'positional'] as const;

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function fail(error: string): Parsed<RestoredPanel> {
  return { ok: false, error };
}

function parseWeights(v: unknown): EmbeddingSettings['weights'] | undefined {
  const w = record(v);
  if (w?.kind === 'random') {
    const seed = typeof w.seed === 'string' ? normalizeSeed(w.seed) : undefined;
    return seed === undefined ? undefined : { kind: 'random', seed };
  }
  if (w?.kind === 'file' && typeof w.path === 'string') {
    const names = (['tokenTensor', 'positionTensor'] as const).filter((k) => typeof w[k] === 'string');
    return { kind: 'file', path: w.path, ...Object.fromEntries(names.map((k) => [k, w[k] as string])) };
  }
  if (w?.kind === 'model' && typeof w.path === 'string') return { kind: 'model', path: w.path };
  return undefined;
}

/** The stored webview state of a panel, or why it cannot be restored (an older version, no document, tampering). */
export function parsePanelRestore(stored: unknown): Parsed<RestoredPanel> {
  const o = record(stored);
  const r = record(o?.restore);
  if (!o || !r) return fail('the panel state has nothing to restore (it was saved by an older version or showed no document)');
  if (typeof r.documentUri !== 'string' || r.documentUri === '' || r.documentUri.length > MAX_URI) return fail('restore.documentUri must be a URI');
  for (const key of ['textOffset', 'textLength', 'firstToken'] as const) {
    if (!isIntegerIn(r[key], 0, MAX_OFFSET)) return fail(`restore.${key} must be a non-negative integer`);
  }
  const s = record(r.settings);
  if (!s) return fail('restore.settings must be an object');
  const missing = SETTINGS_FIELDS.filter((k) => !(k in s));
  if (missing.length) return fail(`restore.settings lacks ${missing.join(', ')}`);
  const { weights: rawWeights, ...rest } = s;
  const change = parseSettingsChange(rest);
  if (!change.ok) return fail(`restore.${change.error}`);
  const weights = parseWeights(rawWeights);
  if (!weights) return fail('restore.settings.weights must be a random seed, a file or a model');
  const selectedRow = o.selectedRow === null || o.selectedRow === undefined ? null : o.selectedRow;
  if (selectedRow !== null && !isIntegerIn(selectedRow, 0, MAX_OFFSET)) return fail('selectedRow must be null or a non-negative integer');
  return {
    ok: true,
    message: {
      restore: {
        documentUri: r.documentUri,
        textOffset: r.textOffset as number,
        textLength: r.textLength as number,
        settings: { ...(change.message as Omit<EmbeddingSettings, 'weights'>), weights },
        firstToken: r.firstToken as number,
      },
      selectedRow,
    },
  };
}

/**
 * The panel-local changes that turn today's user settings into the settings the panel showed: the fields
 * that differ, and the seed when both are the random init (a weights file comes from the settings only).
 */
export function restoredOverrides(shown: EmbeddingSettings, user: EmbeddingSettings): { overrides: ChangeSettings; seed: string | undefined } {
  const overrides: ChangeSettings = {};
  for (const key of SETTINGS_FIELDS) {
    // The panel's controls choose built-in encodings only; a tokenizer file or model comes from the settings.
    if (key === 'tokenizer' && shown.tokenizer.kind !== 'encoding') continue;
    const differs = key === 'tokenizer' ? tokenizerKey(shown.tokenizer) !== tokenizerKey(user.tokenizer) : shown[key] !== user[key];
    if (differs) (overrides as Record<string, unknown>)[key] = shown[key];
  }
  const seed = shown.weights.kind === 'random' && user.weights.kind === 'random' && shown.weights.seed !== user.weights.seed ? shown.weights.seed : undefined;
  return { overrides, seed };
}
