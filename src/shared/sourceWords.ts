/**
 * Words every view uses the same way about the active source (panel, side panel, hover). Plain data; imports
 * nothing (src/shared is compiled by host, worker and webview alike).
 */

/** How a padding row — a token-table row past the tokenizer's ids, never produced, never trained — is marked in nearest-token lists. */
export const PADDING_NOTE = 'padding (never trained)';
