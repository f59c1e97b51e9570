/**
 * Validation of every message a webview posts to the host. A webview is untrusted input (it renders
 * document text, and its script could be tampered with), so nothing it sends is used before it has
 * been checked here field by field. Pure: unit-tested without VS Code.
 */
import type { EmbeddingSettings } from '../shared/embeddingTypes';
import { ANALYSIS_KINDS, EXPORT_FILE_FORMATS, EXPORT_MATRICES } from '../shared/engineProtocol';
import { MAX_OFFSET, SEED_RANGE, SETTING_LIMITS, isIntegerIn } from '../shared/limits';
import { MAX_PIXEL_RATIO, isPixelRatio } from '../shared/paintPreview';
import { LUT_BYTES } from '../shared/colourScale';
import { PANEL_METHODS, type PanelRequest, type PanelToHost, type SidebarToHost, type WebviewToHost } from '../shared/webviewProtocol';
import { isEncoding, isPositionalScheme, normalizeSeed } from './settings';

export type ChangeSettings = Extract<PanelToHost, { type: 'changeSettings' }>['settings'];

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

const MAX_TEXT = 2000; // CSP report strings are for the log only
const MAX_REQUEST_ID = Number.MAX_SAFE_INTEGER;

type RequestBody = Pick<PanelRequest, 'method' | 'params'>;

/** The method and parameters of a panel request (PanelMethods), every field checked. */
function parseRequestParams(method: unknown, raw: unknown): Parsed<RequestBody> {
  if (!oneOf(method, PANEL_METHODS)) return fail(`method must be one of ${PANEL_METHODS.join(', ')}`);
  if (!isRecord(raw)) return fail(`${method}: params must be an object`);
  const p = raw;
  switch (method) {
    case 'analysis': {
      const extra = onlyKeys(p, ['kind']);
      if (extra) return fail(`analysis: ${extra}`);
      if (!oneOf(p.kind, ANALYSIS_KINDS)) return fail(`analysis: kind must be one of ${ANALYSIS_KINDS.join(', ')}`);
      return { ok: true, message: { method, params: { kind: p.kind } } };
    }
    case 'export': {
      const extra = onlyKeys(p, ['what', 'format']);
      if (extra) return fail(`export: ${extra}`);
      if (!oneOf(p.what, EXPORT_MATRICES)) return fail(`export: what must be one of ${EXPORT_MATRICES.join(', ')}`);
      if (!oneOf(p.format, EXPORT_FILE_FORMATS)) return fail(`export: format must be one of ${EXPORT_FILE_FORMATS.join(', ')}`);
      return { ok: true, message: { method, params: { what: p.what, format: p.format } } };
    }
    case 'copyPytorch':
    case 'applySettings': {
      const extra = onlyKeys(p, []);
      return extra ? fail(`${method}: ${extra}`) : { ok: true, message: { method, params: {} } };
    }
    case 'neighbors': {
      const extra = onlyKeys(p, ['row', 'id']);
      if (extra) return fail(`neighbors: ${extra}`);
      if (!isIntegerIn(p.row, 0, MAX_OFFSET) || !isIntegerIn(p.id, 0, MAX_OFFSET)) return fail('neighbors: row and id must be non-negative integers');
      return { ok: true, message: { method, params: { row: p.row, id: p.id } } };
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  return extra.length ? `unexpected field(s) ${extra.join(', ')}` : undefined;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): v is T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v);
}

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

const SETTINGS_FIELDS = ['tokenizer', 'allowSpecial', 'dim', 'contextLength', 'stride', 'batchSize', 'positional'] as const;

/** Checks a `changeSettings` payload; every present field must be valid, unknown fields are refused. */
export function parseSettingsChange(raw: unknown): Parsed<ChangeSettings> {
  if (!isRecord(raw)) return fail('settings must be an object');
  const extra = onlyKeys(raw, SETTINGS_FIELDS);
  if (extra) return fail(`settings: ${extra}`);
  const out: Partial<Omit<EmbeddingSettings, 'weights'>> = {};
  if ('tokenizer' in raw) {
    // A webview may pick a built-in encoding only: file paths come from the user's settings and pickers.
    const t = raw.tokenizer;
    if (!isRecord(t) || t.kind !== 'encoding' || !isEncoding(t.encoding))
      return fail('settings.tokenizer must be { kind: "encoding", encoding } with a known encoding');
    out.tokenizer = { kind: 'encoding', encoding: t.encoding };
  }
  if ('allowSpecial' in raw) {
    if (typeof raw.allowSpecial !== 'boolean') return fail('settings.allowSpecial must be a boolean');
    out.allowSpecial = raw.allowSpecial;
  }
  for (const key of ['dim', 'contextLength', 'stride', 'batchSize'] as const) {
    if (key in raw) {
      const b = SETTING_LIMITS[key];
      if (!isIntegerIn(raw[key], b.min, b.max)) return fail(`settings.${key} must be an integer from ${b.min} to ${b.max}`);
      out[key] = raw[key] as number;
    }
  }
  if ('positional' in raw) {
    if (!isPositionalScheme(raw.positional)) return fail('settings.positional must be learned, sinusoidal or none');
    out.positional = raw.positional;
  }
  return { ok: true, message: out };
}

/** Turns anything a webview posted into a typed message, or says exactly what was wrong with it. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewToHost> {
  if (!isRecord(raw)) return fail('message must be an object');
  const o = raw;
  switch (o.type) {
    case 'ready':
    case 'cancelInspection':
    case 'openPanel':
    case 'useRandomInit':
    case 'loadWeights': {
      const extra = onlyKeys(o, ['type']);
      return extra ? fail(`${o.type}: ${extra}`) : { ok: true, message: { type: o.type } };
    }
    case 'revealToken': {
      const extra = onlyKeys(o, ['type', 'start', 'end']);
      if (extra) return fail(`revealToken: ${extra}`);
      if (!isIntegerIn(o.start, 0, MAX_OFFSET) || !isIntegerIn(o.end, 0, MAX_OFFSET) || o.end < o.start) {
        return fail('revealToken: start and end must be integers with 0 ≤ start ≤ end');
      }
      return { ok: true, message: { type: 'revealToken', start: o.start, end: o.end } };
    }
    case 'changeSettings': {
      const extra = onlyKeys(o, ['type', 'settings']);
      if (extra) return fail(`changeSettings: ${extra}`);
      const s = parseSettingsChange(o.settings);
      return s.ok ? { ok: true, message: { type: 'changeSettings', settings: s.message } } : fail(`changeSettings: ${s.error}`);
    }
    case 'changeSeed': {
      const extra = onlyKeys(o, ['type', 'seed']);
      if (extra) return fail(`changeSeed: ${extra}`);
      // Only strings: a JSON number above 2^53 would already have lost digits in the webview.
      const seed = typeof o.seed === 'string' ? normalizeSeed(o.seed) : undefined;
      if (seed === undefined) return fail(`changeSeed: seed must be a decimal string: ${SEED_RANGE}`);
      return { ok: true, message: { type: 'changeSeed', seed } };
    }
    case 'selectRow': {
      const extra = onlyKeys(o, ['type', 'row']);
      if (extra) return fail(`selectRow: ${extra}`);
      if (o.row !== null && !isIntegerIn(o.row, 0, MAX_OFFSET)) return fail('selectRow: row must be null or a non-negative integer');
      return { ok: true, message: { type: 'selectRow', row: o.row } };
    }
    case 'viewMetrics': {
      const extra = onlyKeys(o, ['type', 'pixelRatio', 'lut']);
      if (extra) return fail(`viewMetrics: ${extra}`);
      if (!isPixelRatio(o.pixelRatio)) {
        return fail(`viewMetrics: pixelRatio must be a number above 0 and at most ${MAX_PIXEL_RATIO}`);
      }
      if (!Array.isArray(o.lut) || o.lut.length !== LUT_BYTES || !o.lut.every((b) => isIntegerIn(b, 0, 255))) {
        return fail(`viewMetrics: lut must be ${LUT_BYTES} bytes`);
      }
      return { ok: true, message: { type: 'viewMetrics', pixelRatio: o.pixelRatio, lut: o.lut as number[] } };
    }
    case 'page': {
      const extra = onlyKeys(o, ['type', 'firstToken']);
      if (extra) return fail(`page: ${extra}`);
      if (!isIntegerIn(o.firstToken, 0, MAX_OFFSET)) return fail('page: firstToken must be a non-negative integer');
      return { ok: true, message: { type: 'page', firstToken: o.firstToken } };
    }
    case 'cspViolation': {
      const extra = onlyKeys(o, ['type', 'directive', 'blockedUri']);
      if (extra) return fail(`cspViolation: ${extra}`);
      if (typeof o.directive !== 'string' || typeof o.blockedUri !== 'string') {
        return fail('cspViolation: directive and blockedUri must be strings');
      }
      return {
        ok: true,
        message: { type: 'cspViolation', directive: o.directive.slice(0, MAX_TEXT), blockedUri: o.blockedUri.slice(0, MAX_TEXT) },
      };
    }
    case 'request': {
      const extra = onlyKeys(o, ['type', 'id', 'method', 'params', 'channel']);
      if (extra) return fail(`request: ${extra}`);
      if (!isIntegerIn(o.id, 1, MAX_REQUEST_ID)) return fail('request: id must be a positive integer');
      if (o.channel !== undefined && (typeof o.channel !== 'string' || o.channel.length > 64)) return fail('request: channel must be a short string');
      const params = parseRequestParams(o.method, o.params);
      if (!params.ok) return fail(`request: ${params.error}`);
      const channel = o.channel === undefined ? {} : { channel: o.channel };
      return { ok: true, message: { type: 'request', id: o.id, ...params.message, ...channel } as PanelRequest };
    }
    case 'cancel': {
      const extra = onlyKeys(o, ['type', 'id']);
      if (extra) return fail(`cancel: ${extra}`);
      if (!isIntegerIn(o.id, 1, MAX_REQUEST_ID)) return fail('cancel: id must be a positive integer');
      return { ok: true, message: { type: 'cancel', id: o.id } };
    }
    default:
      return fail(`unknown message type ${typeof o.type === 'string' ? JSON.stringify(o.type.slice(0, 40)) : typeof o.type}`);
  }
}

/** Which message types each view may post: a type the other view posts is refused, not silently dropped. */
const PANEL_TYPES: Record<PanelToHost['type'], true> = {
  ready: true,
  revealToken: true,
  selectRow: true,
  cspViolation: true,
  changeSettings: true,
  changeSeed: true,
  page: true,
  cancelInspection: true,
  request: true,
  cancel: true,
  useRandomInit: true,
  loadWeights: true,
  viewMetrics: true,
};
const SIDEBAR_TYPES: Record<SidebarToHost['type'], true> = {
  ready: true,
  revealToken: true,
  selectRow: true,
  cspViolation: true,
  openPanel: true,
};

function isPanelMessage(m: WebviewToHost): m is PanelToHost {
  return Object.hasOwn(PANEL_TYPES, m.type);
}
function isSidebarMessage(m: WebviewToHost): m is SidebarToHost {
  return Object.hasOwn(SIDEBAR_TYPES, m.type);
}

/** A message the inspector panel posted, checked field by field. */
export function parsePanelMessage(raw: unknown): Parsed<PanelToHost> {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok || isPanelMessage(parsed.message)) return parsed as Parsed<PanelToHost>;
  return fail(`${parsed.message.type}: not a message the inspector panel posts`);
}

/** A message the side view posted, checked field by field. */
export function parseSidebarMessage(raw: unknown): Parsed<SidebarToHost> {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok || isSidebarMessage(parsed.message)) return parsed as Parsed<SidebarToHost>;
  return fail(`${parsed.message.type}: not a message the side view posts`);
}
