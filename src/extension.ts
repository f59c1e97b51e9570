/**
 * Token Embeddings: activation wires the host features to one engine worker client.
 *
 * Activation: `onStartupFinished` (plus our commands and side view, implied by `contributes`). A user who
 * hovers a word before running any command gets the hover, and the status bar counts tokens from the start;
 * VS Code runs it after the window is up, so it never delays startup. It stays cheap: activation registers
 * providers and listeners only (≈ 25 ms measured: bundle evaluation ≈ 23 ms + activate ≈ 2 ms); the engine
 * worker starts on the first request that needs it. See README "Activation".
 *
 * Nothing here tokenizes or embeds: every computation goes to the engine worker through `engine.call`.
 */
import * as vscode from 'vscode';
import { EngineClient } from './host/engineClient';
import type { HostPlatform } from './host/platform';
import { Configuration } from './host/config';
import { DocumentSync } from './host/documentSync';
import type { Engine } from './host/engine';
import { TokenHighlighter } from './host/highlighter';
import { INSPECT_TOKEN_COMMAND, parseInspectTokenArgs } from './host/hoverContent';
import { TokenHoverProvider } from './host/hoverProvider';
import { sourceFromEditor, sourceFromRange } from './host/inspection';
import { InspectorPanel } from './host/inspectorPanel';
import { SIDEBAR_VIEW_ID, SidebarView } from './host/sidebarView';
import { TokenCountStatus } from './host/statusBar';
import { setHomeDir, toEmbeddingSettings, tokenizerSourceOf } from './host/settings';
import { tokenizerName } from './host/sourceNames';
import { snapshot } from './host/editors';
import { WeightsCommands } from './host/weightsCommands';
import { SourceCommands } from './host/sourceCommands';
import { settingsSourceLoader } from './host/sourceSwitch';
import { registerWalkthrough } from './host/walkthrough';

/**
 * Set by esbuild's banner (esbuild.mjs) when the bundle starts evaluating, so the logged activation
 * time covers loading every bundled module, not only activate(). Absent when run unbundled.
 */
declare const __tokenEmbeddingsLoadStart: number | undefined;

let client: EngineClient | undefined;
/** Top-level code here runs after every module this one imports has been evaluated (the entries, extensionNode.ts and web/extension.ts, add only their platform). */
const moduleEvaluated = performance.now();

/**
 * Activation of both builds: src/extensionNode.ts (desktop, `main`) and src/extensionWeb.ts (VS Code for the
 * Web, `browser`) call this with their platform; nothing below depends on which.
 */
export function activateWith(platform: HostPlatform, context: vscode.ExtensionContext): void {
  const loadStart = typeof __tokenEmbeddingsLoadStart === 'number' ? __tokenEmbeddingsLoadStart : performance.now();
  const activateStart = performance.now();
  const log = vscode.window.createOutputChannel('Token Embeddings', { log: true });
  context.subscriptions.push(log);

  client = new EngineClient({
    startWorker: platform.startWorker,
    log: (message) => log.info(`engine: ${message}`),
  });
  const engineClient = client;
  context.subscriptions.push({ dispose: () => void engineClient.dispose() });
  const engine: Engine = engineClient;

  setHomeDir(platform.homeDir); // for `~/…` in tokenEmbeddings.weightsPath, tokenizerPath and modelPath
  // A tokenizer, weights file or model named in the settings is loaded (with progress) before the views use it.
  const config = new Configuration(log, settingsSourceLoader({ engine, log }));
  const documents = new DocumentSync(engine);
  const panel = new InspectorPanel(context.extensionUri, engine, config, log, context.globalState);
  const sidebar = new SidebarView(context.extensionUri, engine, documents, config, panel, log);
  const highlighter = new TokenHighlighter(documents, config, log);
  const status = new TokenCountStatus(documents, config, log);
  context.subscriptions.push(config, panel, sidebar, highlighter, status);
  context.subscriptions.push(new WeightsCommands(engine, config, log, platform), new SourceCommands(engine, config, log, context.globalState, platform));

  /**
   * Inspect Selection. With nothing selected the whole document is inspected, starting at the page that holds
   * the cursor's token (with that token selected) — not at token 0 of a long document.
   */
  async function inspectFromEditor(editor: vscode.TextEditor): Promise<void> {
    const source = sourceFromEditor(editor);
    const maxTokens = config.settings.maxTokens;
    if (!editor.selection.isEmpty || source.text.length === 0) return panel.inspect(source);
    const doc = editor.document;
    const offset = Math.min(doc.offsetAt(editor.selection.active), source.text.length - 1);
    const at = await documents
      .call('tokenAt', snapshot(doc), (document) => ({ document, offset, settings: toEmbeddingSettings(config.settings) }), { channel: 'inspectAt' })
      .catch(() => undefined); // the inspection itself reports what is wrong
    if (at?.status !== 'ok') return panel.inspect(source);
    const firstToken = at.index - (at.index % maxTokens);
    return panel.inspect(source, at.index - firstToken, firstToken);
  }

  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, sidebar),
    vscode.languages.registerHoverProvider('*', new TokenHoverProvider(documents, config, log, engine)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      documents.forget(doc.uri.toString());
      engine.call('releaseDocument', { uri: doc.uri.toString() }).catch(() => undefined);
    }),

    vscode.commands.registerCommand('tokenEmbeddings.inspectSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Token Embeddings: open a text editor and select some text (or nothing, for the whole document) to inspect.');
        return;
      }
      await inspectFromEditor(editor);
    }),

    registerWalkthrough(context.extensionUri, inspectFromEditor),

    vscode.commands.registerCommand(INSPECT_TOKEN_COMMAND, async (args: unknown) => {
      const a = parseInspectTokenArgs(args);
      if (!a) {
        log.warn(`${INSPECT_TOKEN_COMMAND}: ignored invalid arguments`);
        return;
      }
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(a.uri));
      const length = doc.getText().length;
      if (a.end > length) {
        void vscode.window.showWarningMessage('Token Embeddings: the document changed; hover the token again.');
        return;
      }
      await panel.inspect(sourceFromRange(doc, new vscode.Range(doc.positionAt(a.start), doc.positionAt(a.end))), a.row);
    }),

    vscode.commands.registerCommand('tokenEmbeddings.openSidePanel', async () => {
      await vscode.commands.executeCommand(`${SIDEBAR_VIEW_ID}.focus`);
    }),

    vscode.commands.registerCommand('tokenEmbeddings.toggleHighlighting', () => {
      const on = highlighter.toggle();
      const tokenizer = tokenizerName(tokenizerSourceOf(config.settings));
      vscode.window.setStatusBarMessage(`Token Embeddings: token highlighting ${on ? `on (tokenizer ${tokenizer})` : 'off'}`, 2000);
    }),
  );

  // The e2e harness reads this line from the extension's log file to report activation time. Our cost is
  // evaluating the bundle plus activate(); between the two the extension host does its own work (context,
  // storage; ~80 ms measured at startup on a loaded machine), which is reported apart so it is not blamed on us.
  const end = performance.now();
  log.info(
    `activated in ${(moduleEvaluated - loadStart + (end - activateStart)).toFixed(1)} ms ` +
      `(bundle evaluation ${(moduleEvaluated - loadStart).toFixed(1)} ms + activate ${(end - activateStart).toFixed(1)} ms; ` +
      `extension host in between ${(activateStart - moduleEvaluated).toFixed(1)} ms)`,
  );
}

export async function deactivate(): Promise<void> {
  await client?.dispose();
  client = undefined;
}
