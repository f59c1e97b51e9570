/**
 * The webview boundary (extension host ⇄ the inspector panel and the side view): one union of messages per
 * direction and per view. Views post untrusted data: the host validates every field
 * (src/host/webviewMessages.ts) and the webviews validate what the host sends (webview/shared/messages.ts).
 * Free of Node, DOM and `vscode` imports.
 */
import type { AnalysisKind, AnalysisResult, ExportFileFormat, ExportMatrix, InspectResult, Neighbor } from './engineProtocol';
import type { EmbeddingSettings } from './embeddingTypes';

/** What a webview shows; replayed when a view becomes visible again. */
export interface PanelState {
  documentUri: string | null;
  documentLabel: string;
  /** UTF-16 offset of the inspected text inside the document (for reveal). */
  textOffset: number;
  settings: EmbeddingSettings;
  result: InspectResult;
  selectedRow: number | null;
}

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

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
  /** Answer to an `analysis` request (or why it failed). */
  | { type: 'analysis'; result: AnalysisResult }
  | { type: 'analysisError'; kind: AnalysisKind; message: string }
  /** Outcome of an export / copy action, shown on the Export tab. */
  | { type: 'actionDone'; action: 'export' | 'copyPytorch'; ok: boolean; message: string }
  | NeighborsMessage;

/** Host → a view of either kind: what webview/shared/messages.ts accepts. */
export type HostToWebview = HostToPanel | HostToSidebar;

/**
 * Nearest tokens of the panel's selected row (weights UI). `row` is the page row they belong to (the
 * webview ignores a reply for a row no longer selected); `loading` comes first, then `ready` or `error`.
 */
export type NeighborsMessage = {
  type: 'neighbors';
  row: number;
  /** Token id of that row. */
  id: number;
  status: 'loading' | 'ready' | 'error';
  /** Best first (empty unless `ready`). */
  neighbors: Neighbor[];
  /** Why it failed (`error` only). */
  message?: string;
};

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
  | { type: 'cancel' }
  /** Analysis tabs: compute `kind` for the panel's current page. */
  | { type: 'analysis'; kind: AnalysisKind }
  | { type: 'export'; what: ExportMatrix; format: ExportFileFormat }
  | { type: 'copyPytorch' }
  /** Weights UI: switch back to the seeded random init (clears tokenEmbeddings.weightsPath). */
  | { type: 'useRandomInit' }
  /** Weights UI: run "Load Embedding Weights…" (file picker). */
  | { type: 'loadWeights' };

/** A view of either kind → host: what src/host/webviewMessages.ts parses before narrowing per view. */
export type WebviewToHost = PanelToHost | SidebarToHost;
