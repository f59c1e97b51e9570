/**
 * Loading a source — tokenizer, weights file, model — before any view uses it, in one place: the new settings are
 * first loaded in the engine worker (tokenizer and tables, exactly as the views will ask for them); a load that
 * takes longer than a moment shows a cancellable progress notification. A source that cannot be used is
 * reported with its reason and the previous source stays active: no view ever sees a half-switched or broken
 * source. Two callers: the commands (Select Tokenizer…, Open Model…, Load Embedding Weights…), which then write
 * the settings as one change, and the settings gate (sourceGate.ts), for sources named in settings.json by hand,
 * by Settings Sync or at start-up.
 */
import * as vscode from 'vscode';
import type { Configuration } from './config';
import { describeEngineError, isCancellation, type Engine } from './engine';
import { SECTION, SETTING_KEYS, toEmbeddingSettings, type HostSettings } from './settings';
import { progressWhileSlow } from './progress';
import type { SourceLoader } from './sourceGate';
import { changedSource, describeSources } from './sourceNames';
import type { RowsResult } from '../shared/engineProtocol';

/** A big tokenizer.json (Gemma 3: 33 MB) or a model's header on a loaded machine can take a while. */
const LOAD_TIMEOUT_MS = 180_000;
const OPEN_SETTING = 'Open Setting';

export interface LoadDeps {
  engine: Engine;
  log: vscode.LogOutputChannel;
}

export interface SwitchDeps extends LoadDeps {
  config: Configuration;
}

type LoadOutcome =
  { status: 'loaded'; rows: RowsResult; ms: number } | { status: 'cancelled' } | { status: 'failed'; message: string } | { status: 'superseded' };

/**
 * Loads `settings`' sources in the worker; a load that takes a while shows "loading `name`…" with Cancel
 * (progress.ts). `signal`: the caller's own stop (a newer choice), reported as superseded, as is a load superseded on
 * its channel by another source load.
 */
async function loadSources(engine: Engine, settings: HostSettings, name: string, signal?: AbortSignal): Promise<LoadOutcome> {
  if (signal?.aborted) return { status: 'superseded' };
  const start = performance.now();
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal?.addEventListener('abort', stop);
  const load = engine.call(
    'rows',
    { settings: toEmbeddingSettings(settings), tokenRows: [0], positionRows: [0] },
    { channel: 'sourceLoad', signal: controller.signal, timeoutMs: LOAD_TIMEOUT_MS },
  );
  progressWhileSlow(load, `Token Embeddings: loading ${name}…`, stop);
  try {
    const rows = await load;
    return { status: 'loaded', rows, ms: performance.now() - start };
  } catch (e) {
    if (signal?.aborted) return { status: 'superseded' };
    if (!isCancellation(e)) return { status: 'failed', message: describeEngineError(e) };
    // Cancelled by the user (the progress's Cancel aborts `controller`), or superseded on the 'sourceLoad' channel by
    // a newer load (a source chosen by command while one named in the settings loads, or the other way round): that
    // newer load reports, this one says nothing.
    return controller.signal.aborted ? { status: 'cancelled' } : { status: 'superseded' };
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * Says why `name` is not used and that `keeping` still is. `setting`: the setting that named it (a hand-edited
 * source), offered to open.
 */
function reportNotUsed(
  log: vscode.LogOutputChannel,
  outcome: { status: 'cancelled' } | { status: 'failed'; message: string },
  name: string,
  keeping: string,
  setting?: string,
): void {
  const actions = setting ? [OPEN_SETTING] : [];
  let shown: Thenable<string | undefined>;
  if (outcome.status === 'cancelled') {
    shown = vscode.window.showInformationMessage(`Token Embeddings: loading ${name} was cancelled. Still using ${keeping}.`, ...actions);
  } else {
    // The user's file, not our failure: a warning in the log, the reason in the notification.
    log.warn(`cannot use ${name}: ${outcome.message}`);
    shown = vscode.window.showErrorMessage(
      `Token Embeddings: cannot use ${name} — ${outcome.message.replace(/\.?$/, '.')} Still using ${keeping}.`,
      ...actions,
    );
  }
  void shown.then((choice) => {
    if (choice === OPEN_SETTING) void vscode.commands.executeCommand('workbench.action.openSettings', setting);
  });
}

/**
 * Loads `{...current settings, ...change}` in the worker, then writes `change` as one settings change.
 * `name` is what the user chose, for the messages. Resolves to the loaded source's rows reply, or undefined
 * when the switch was refused or cancelled (the settings are then untouched).
 */
export async function switchSources(deps: SwitchDeps, change: Partial<HostSettings>, name: string): Promise<RowsResult | undefined> {
  const { engine, config, log } = deps;
  const next: HostSettings = { ...config.settings, ...change };
  const outcome = await loadSources(engine, next, name);
  if (outcome.status !== 'loaded') {
    if (outcome.status !== 'superseded') reportNotUsed(log, outcome, name, describeSources(config.settings));
    return undefined;
  }
  log.info(`now using ${describeSources(next)} (loaded in ${outcome.ms.toFixed(0)} ms)`);
  await config.updateGroup(change, next);
  return outcome.rows;
}

/** The settings gate's loader (sourceGate.ts): a source named in the settings, loaded with the same progress and reports. */
export function settingsSourceLoader(deps: LoadDeps): SourceLoader {
  return async (next, previous, signal) => {
    const changed = changedSource(previous, next);
    const outcome = await loadSources(deps.engine, next, changed.name, signal);
    if (outcome.status === 'loaded') {
      deps.log.info(`now using ${describeSources(next)} (from the settings, loaded in ${outcome.ms.toFixed(0)} ms)`);
      return true;
    }
    if (outcome.status !== 'superseded')
      reportNotUsed(deps.log, outcome, changed.name, describeSources(previous), `${SECTION}.${SETTING_KEYS[changed.setting]}`);
    return false;
  };
}
