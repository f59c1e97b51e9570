/**
 * The webview boundary (extension host ⇄ the inspector panel and the side view): one union of messages per
 * direction and per view, plus the panel's requests (PanelMethods), which travel in the request/reply
 * envelope of src/shared/rpc.ts like the engine's. Views post untrusted data: the host validates every field
 * (src/host/webviewMessages.ts) and the webviews validate what the host sends (webview/shared/messages.ts).
 * Free of Node, DOM and `vscode` imports.
 */
import type { EmbeddingSettings } from './embeddingTypes';
import type { AnalysisKind, AnalysisResult, ExportFileFormat, ExportMatrix, InspectResult, Neighbor } from './engineProtocol';
import type { RpcCancel, RpcRequest, RpcResponse } from './rpc';

/**
 * An inspection as the webviews get it: the engine's result without `firstBatch` (inputs and targets of the
 * first loader batch, up to batch × context length × 2 int32 — 1 GiB at the limits), which no view shows;
 * the header shows its shapes (`shapes`). The CLI and the engine keep it.
 */
export type ViewInspectResult = Omit<InspectResult, 'firstBatch'>;

/** The engine's result as a view gets it (see ViewInspectResult). */
export function toViewResult(result: InspectResult): ViewInspectResult {
  const { firstBatch: _dropped, ...view } = result;
  return view;
}

/** What a webview shows; replayed when a view becomes visible again. */
export interface PanelState {
  documentUri: string | null;
  documentLabel: string;
  /** UTF-16 offset of the inspected text inside the document (for reveal). */
  textOffset: number;
  /** UTF-16 length of the inspected text (with textOffset: the range a restored panel inspects again). */
  textLength: number;
  settings: EmbeddingSettings;
  result: ViewInspectResult;
  selectedRow: number | null;
  /**
   * The panel's own controls differ from the user's settings (hovers, the side view and the status bar keep
   * those), so the panel says so — also in a state restored after a window reload. Set by the host; absent = no.
   */
  panelOnly?: boolean;
}

/**
 * What the inspector panel keeps in its webview state (next to the drawn state) so that the host can inspect
 * the same range with the same settings again after a window reload (WebviewPanelSerializer).
 */
export interface PanelRestore {
  documentUri: string;
  textOffset: number;
  textLength: number;
  /** The settings the panel showed (user settings plus the panel's own changes). */
  settings: EmbeddingSettings;
  firstToken: number;
}

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

/**
 * What the inspector panel asks of the host, over the request/reply envelope of src/shared/rpc.ts (ids,
 * replies matched by id, cancel, supersession by channel) — the same helper the host uses with the worker.
 * Each request is answered for the state the host shows; the panel cancels its requests when a new state
 * arrives, so a reply computed for an older state is never drawn.
 */
export interface PanelMethods {
  /** An analysis tab's numbers for the current page. */
  analysis: { params: { kind: AnalysisKind }; result: AnalysisResult };
  /** Export a page matrix to a file the user picks. */
  export: { params: { what: ExportMatrix; format: ExportFileFormat }; result: ActionOutcome };
  /** Copy as PyTorch (a script rebuilding the tables and inputs) to the clipboard. */
  copyPytorch: { params: Record<string, never>; result: ActionOutcome };
  /** Nearest tokens of page row `row`, whose token id the panel saw as `id` (weights UI). */
  neighbors: { params: { row: number; id: number }; result: { neighbors: Neighbor[] } };
  /**
   * "Apply to Settings": write the panel's own control changes (seed, dim, context…) to the user's settings,
   * so hovers, the side view and the status bar use them too. `ok: false` when the panel already shows them.
   */
  applySettings: { params: Record<string, never>; result: ActionOutcome };
}
export type PanelMethod = keyof PanelMethods;
export const PANEL_METHODS = ['analysis', 'export', 'copyPytorch', 'neighbors', 'applySettings'] as const satisfies readonly PanelMethod[];
export type PanelRequest = { [K in PanelMethod]: RpcRequest<K, PanelMethods[K]['params']> }[PanelMethod];

/** How an export or copy ended (a cancelled save dialog is `ok: false`, not an error). */
export interface ActionOutcome {
  ok: boolean;
  message: string;
}

/** Host → either view: what both the panel and the side view show. */
type HostToAnyView =
  | { type: 'state'; state: PanelState }
  | { type: 'busy'; busy: boolean; message?: string }
  | { type: 'error'; message: string }
  | { type: 'selectRow'; row: number | null };

/** Host → side view. */
export type HostToSidebar = HostToAnyView;

/** Host → inspector panel. */
export type HostToPanel =
  | HostToAnyView
  /** The reply to a panel request (PanelMethods). */
  | RpcResponse;

/** Host → a view of either kind: what webview/shared/messages.ts accepts. */
export type HostToWebview = HostToPanel | HostToSidebar;

/** Either view → host. */
type AnyViewToHost =
  | { type: 'ready' }
  /** Offsets into the inspected text; the host adds PanelState.textOffset for the document. */
  | { type: 'revealToken'; start: number; end: number }
  | { type: 'selectRow'; row: number | null }
  | { type: 'cspViolation'; directive: string; blockedUri: string };

/** Side view → host. Every field is validated by the host before use. */
export type SidebarToHost = AnyViewToHost | { type: 'openPanel' };

/** Inspector panel → host. Every field is validated by the host before use. */
export type PanelToHost =
  | AnyViewToHost
  | { type: 'changeSettings'; settings: Partial<Omit<EmbeddingSettings, 'weights'>> }
  /** Random-init seed typed in the panel (decimal string, 0..2^64−1; validated by the webview and the host). */
  | { type: 'changeSeed'; seed: string }
  | { type: 'page'; firstToken: number }
  /** The busy bar's Cancel: stop the inspection in progress. */
  | { type: 'cancelInspection' }
  /** A panel request (PanelMethods) and its cancellation. */
  | PanelRequest
  | RpcCancel
  /** Weights UI: switch back to the seeded random init (clears tokenEmbeddings.weightsPath). */
  | { type: 'useRandomInit' }
  /** Weights UI: run "Load Embedding Weights…" (file picker). */
  | { type: 'loadWeights' }
  /**
   * The panel's device-pixel ratio and colour lookup table (LUT_STEPS × RGBA bytes, from its theme), at start
   * and whenever they change: the host asks the engine for a paint preview planned and painted for them
   * (src/shared/paintPreview.ts).
   */
  | { type: 'viewMetrics'; pixelRatio: number; lut: number[] };

/** A view of either kind → host: what src/host/webviewMessages.ts parses before narrowing per view. */
export type WebviewToHost = PanelToHost | SidebarToHost;
