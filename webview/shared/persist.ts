/**
 * What a webview keeps in `vscode.setState` so a reload (or a hidden-then-shown sidebar) repaints at once.
 * VS Code stores webview state as JSON, where a Float32Array would become a `{ "0": … }` object ~20 bytes
 * per value; vectors are therefore stored as base64 of their bytes (~5.3 chars per value). Very large
 * states keep only the light part (no vectors): the host's reply to `ready` fills in the rest.
 */
import type { PanelRestore, PanelState } from '../../src/shared/webviewProtocol';
import { parsePanelState } from './messages';

export const STORED_STATE_VERSION = 1;
/** Above this many floats (~5.3 MB of base64) the vectors are not persisted: big JSON slows every reload. */
export const MAX_PERSISTED_FLOATS = 1_000_000;

export interface StoredView {
  v: typeof STORED_STATE_VERSION;
  /** The state with its typed arrays as `{ $f32: base64 }` / `{ $i32: base64 }`, or null if too big. */
  state: unknown;
  selectedRow: number | null;
  /**
   * Always kept (it is small), even when the vectors are not: what the host's WebviewPanelSerializer reads
   * to inspect the same range with the same settings after a window reload (src/host/panelRestore.ts).
   */
  restore: PanelRestore | null;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) bin += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(bin);
}
function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function encodeValue(v: unknown): unknown {
  if (v instanceof Float32Array) return { $f32: bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  if (v instanceof Int32Array) return { $i32: bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(x)]));
  }
  return v;
}
function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$f32 === 'string') return new Float32Array(base64ToBytes(o.$f32).buffer);
    if (typeof o.$i32 === 'string') return new Int32Array(base64ToBytes(o.$i32).buffer);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeValue(x)]));
  }
  return v;
}

export function floatCount(state: PanelState): number {
  const r = state.result;
  return r.tokenEmbeddings.length + r.combinedEmbeddings.length + r.positionalEmbeddings.length;
}

export function encodeStoredView(state: PanelState | null, selectedRow: number | null): StoredView {
  const keep = state !== null && floatCount(state) <= MAX_PERSISTED_FLOATS;
  const restore: PanelRestore | null =
    state?.documentUri != null
      ? {
          documentUri: state.documentUri,
          textOffset: state.textOffset,
          textLength: state.textLength,
          settings: state.settings,
          firstToken: state.result.firstToken,
        }
      : null;
  // Without the engine's paint preview: the panel recomputes it from the tables (and the screen may differ then).
  const stored = keep ? encodeValue({ ...state, result: { ...state.result, preview: undefined } }) : null;
  return { v: STORED_STATE_VERSION, state: stored, selectedRow, restore };
}

/** Returns null for anything unusable (older version, corrupted, too big to have been stored). */
export function decodeStoredView(stored: unknown): { state: PanelState | null; selectedRow: number | null } | null {
  if (stored === null || typeof stored !== 'object') return null;
  const o = stored as Record<string, unknown>;
  if (o.v !== STORED_STATE_VERSION) return null;
  const selectedRow = typeof o.selectedRow === 'number' && Number.isInteger(o.selectedRow) ? o.selectedRow : null;
  if (o.state === null) return { state: null, selectedRow };
  try {
    return { state: parsePanelState(decodeValue(o.state)), selectedRow };
  } catch {
    return null;
  }
}
