/** Reads and watches the `tokenEmbeddings.*` settings; invalid values are reported once per distinct set. */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { SECTION, SETTING_KEYS, problemsKey, settingsWarning, validateSettings, type HostSettings } from './settings';

export class Configuration extends Disposable {
  private current: HostSettings;
  private lastProblems = '';
  /** Writes of a group in progress (see updateGroup): their in-between states are never read or announced. */
  private groupWrites = 0;
  private readonly emitter = this._register(new vscode.EventEmitter<HostSettings>());
  /** Fires with the new settings after any `tokenEmbeddings.*` change. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    this.current = this.read();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION) || this.groupWrites > 0) return;
        this.refresh();
      }),
    );
  }

  get settings(): HostSettings {
    return this.current;
  }

  async update<K extends keyof HostSettings>(key: string, value: HostSettings[K]): Promise<void> {
    await this.write(key, value);
  }

  /**
   * Writes settings that only make sense together (a weights file and its tensor names) as one change:
   * VS Code writes one key at a time, so the views would otherwise see — and try — each in-between
   * combination (the new tensor names with the previous file). Listeners hear once, after the last write;
   * unchanged values are not written. (`update` resolves after the extension host has the new value, so
   * the read that follows sees all of them.)
   */
  async updateGroup(values: Partial<HostSettings>): Promise<void> {
    const changed = (Object.keys(values) as (keyof HostSettings)[]).filter((k) => values[k] !== undefined && this.current[k] !== values[k]);
    if (changed.length === 0) return;
    this.groupWrites++;
    try {
      for (const key of changed) await this.write(SETTING_KEYS[key], values[key]!);
    } finally {
      this.groupWrites--;
      if (this.groupWrites === 0) this.refresh();
    }
  }

  private refresh(): void {
    this.current = this.read();
    this.log.info(`settings changed: ${JSON.stringify(this.current)}`);
    this.emitter.fire(this.current);
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
