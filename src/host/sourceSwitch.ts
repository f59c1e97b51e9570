/**
 * Switching what the views use — tokenizer, weights file, model — as one checked step: the new settings are
 * first loaded in the engine worker (tokenizer and tables, exactly as the views will ask for them), behind a
 * cancellable progress notification; only when that works are the settings written, as one change
 * (Configuration.updateGroup). A file that cannot be used is reported with its reason and the previous
 * source stays active: no view ever sees a half-switched or broken source.
 */
import * as vscode from 'vscode';
import type { Configuration } from './config';
import { describeEngineError, isCancellation, type Engine } from './engine';
import { toEmbeddingSettings, type HostSettings } from './settings';
import { describeSources } from './sourceNames';
import type { RowsResult } from '../shared/engineProtocol';

/** A big tokenizer.json (Gemma 3: 33 MB) or a model's header on a loaded machine can take a while. */
const LOAD_TIMEOUT_MS = 180_000;

export interface SwitchDeps {
  engine: Engine;
  config: Configuration;
  log: vscode.LogOutputChannel;
}

/**
 * Loads `{...current settings, ...change}` in the worker, then writes `change` as one settings change.
 * `name` is what the user chose, for the messages. Resolves to the loaded source's rows reply, or undefined
 * when the switch was refused or cancelled (the settings are then untouched).
 */
export async function switchSources(deps: SwitchDeps, change: Partial<HostSettings>, name: string): Promise<RowsResult | undefined> {
  const { engine, config, log } = deps;
  const before = config.settings;
  const next: HostSettings = { ...before, ...change };
  let loaded: RowsResult;
  try {
    loaded = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Token Embeddings: loading ${name}…`, cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return engine.call(
          'rows',
          { settings: toEmbeddingSettings(next), tokenRows: [0], positionRows: [0] },
          { channel: 'sourceSwitch', signal: controller.signal, timeoutMs: LOAD_TIMEOUT_MS },
        );
      },
    );
  } catch (e) {
    const keeping = describeSources(config.settings);
    if (isCancellation(e)) {
      void vscode.window.showInformationMessage(`Token Embeddings: loading ${name} was cancelled. Still using ${keeping}.`);
      return undefined;
    }
    const message = describeEngineError(e);
    // The user's file, not our failure: a warning in the log, the reason in the notification.
    log.warn(`cannot use ${name}: ${message}`);
    void vscode.window.showErrorMessage(`Token Embeddings: cannot use ${name} — ${message.replace(/\.?$/, '.')} Still using ${keeping}.`);
    return undefined;
  }
  log.info(`now using ${describeSources(next)}`);
  await config.updateGroup(change);
  return loaded;
}
