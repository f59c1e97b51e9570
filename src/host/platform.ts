/**
 * What differs between the desktop (Node extension host) and VS Code for the Web (browser extension host),
 * in one place. src/extensionNode.ts and src/extensionWeb.ts each build one and hand it to activateWith();
 * everything else in the host is the same code.
 */
import type * as vscode from 'vscode';
import type { WorkerStarter } from './workerPort';

export interface HostPlatform {
  readonly kind: 'desktop' | 'web';
  /** Starts engine workers: a Node worker thread, or a Web Worker fed with files through workspace.fs. */
  readonly startWorker: WorkerStarter;
  /** For a `~/…` tokenEmbeddings.weightsPath (desktop only). */
  readonly homeDir: string | undefined;
  /**
   * The string a weights file is named by in settings and engine requests, or undefined when this platform
   * cannot read it: the desktop engine reads local paths, the web engine gets bytes through workspace.fs.
   */
  weightsPathOf(uri: vscode.Uri): string | undefined;
  /** The inverse, for dialogs and workspace.fs (a web weights path may be a URI string). */
  uriOfWeightsPath(path: string): vscode.Uri;
}

/** `scheme://…` (at least two letters, so `C:\…` stays a Windows path). */
export function isUriString(path: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(path);
}
