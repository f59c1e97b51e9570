/**
 * Reads and watches the `tokenEmbeddings.*` settings; invalid values are reported once per distinct set. The
 * settings the views get (`settings`, `onDidChange`) name a tokenizer, weights file or model only once it has
 * loaded (sourceGate.ts): until then, and when it cannot be used, the previous source stays.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { SECTION, SETTING_KEYS, problemsKey, settingsWarning, sourceFieldsOf, validateSettings, type HostSettings } from './settings';
import { SourceGate, type SourceLoader } from './sourceGate';

export class Configuration extends Disposable {
  /** The settings as read (what settings.json says, validated). */
  private configured: HostSettings;
  private readonly gate: SourceGate;
  private lastProblems = '';
  /** Writes of a group in progress (see updateGroup): their in-between states are never read or announced. */
  private groupWrites = 0;
  private readonly emitter = this._register(new vscode.EventEmitter<HostSettings>());
  /** Fires with the new settings after any `tokenEmbeddings.*` change. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    loadSources: SourceLoader,
  ) {
    super();
    this.configured = this.read();
    this.gate = new SourceGate(this.configured, loadSources, (settings) => this.emitter.fire(settings));
    this._register({ dispose: () => this.gate.dispose() });
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION) || this.groupWrites > 0) return;
        this.refresh();
      }),
    );
  }

  /** The settings in use: the configured ones, but with the last sources that loaded. */
  get settings(): HostSettings {
    return this.gate.settings;
  }

  /** Resolves once no tokenizer, weights file or model named in the settings is loading. */
  settled(): Promise<void> {
    return this.gate.settled();
  }

  async update<K extends keyof HostSettings>(key: string, value: HostSettings[K]): Promise<void> {
    await this.write(key, value);
  }

  /**
   * Writes settings that only make sense together (a weights file and its tensor names) as one change:
   * VS Code writes one key at a time, so the views would otherwise see — and try — each in-between
   * combination (the new tensor names with the previous file). Listeners hear once, after the last write;
   * unchanged values are not written. (`update` resolves after the extension host has the new value, so
   * the read that follows sees all of them.) Values are compared with the settings as configured, not as in use.
   *
   * `loaded`: settings whose sources the caller has just loaded (a checked switch, sourceSwitch.ts). Their source
   * settings are written too — so settings.json names what the views use, even where it named a source that was
   * refused — and the views take them at once, with no second load.
   */
  async updateGroup(values: Partial<HostSettings>, loaded?: HostSettings): Promise<void> {
    const all: Partial<HostSettings> = { ...(loaded ? sourceFieldsOf(loaded) : {}), ...values };
    const changed = (Object.keys(all) as (keyof HostSettings)[]).filter((k) => all[k] !== undefined && this.configured[k] !== all[k]);
    if (changed.length === 0) return;
    this.groupWrites++;
    try {
      for (const key of changed) await this.write(SETTING_KEYS[key], all[key]!);
    } finally {
      this.groupWrites--;
      if (this.groupWrites === 0) this.refresh(loaded);
    }
  }

  private refresh(loaded?: HostSettings): void {
    this.configured = this.read();
    this.log.info(`settings changed: ${JSON.stringify(this.configured)}`);
    this.gate.update(this.configured, loaded);
  }

  private async write(key: string, value: unknown): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const info = config.inspect(key);
    // Write where the user set it already; otherwise user settings.
    const target =
      info?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : info?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update(key, value, target);
  }

  private read(): HostSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    const { settings, problems } = validateSettings((key) => config.get(key));
    const key = problemsKey(problems);
    if (key !== this.lastProblems) {
      this.lastProblems = key;
      const warning = settingsWarning(problems);
      if (warning) {
        this.log.warn(warning);
        void vscode.window.showWarningMessage(warning, 'Open Settings').then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', SECTION);
        });
      }
    }
    return settings;
  }
}
