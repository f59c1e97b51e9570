/** Reads and watches the `tokenEmbeddings.*` settings; invalid values are reported once per distinct set. */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { SECTION, problemsKey, settingsWarning, validateSettings, type HostSettings } from './settings';

export class Configuration extends Disposable {
  private current: HostSettings;
  private lastProblems = '';
  private readonly emitter = this._register(new vscode.EventEmitter<HostSettings>());
  /** Fires with the new settings after any `tokenEmbeddings.*` change. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    this.current = this.read();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(SECTION)) return;
        this.current = this.read();
        this.log.info(`settings changed: ${JSON.stringify(this.current)}`);
        this.emitter.fire(this.current);
      }),
    );
  }

  get settings(): HostSettings {
    return this.current;
  }

  async update<K extends keyof HostSettings>(key: string, value: HostSettings[K]): Promise<void> {
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
