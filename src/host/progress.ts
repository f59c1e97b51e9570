/**
 * The cancellable progress notification for engine work that may take a while, in one place: shown only once the
 * work has run for a moment (a fast answer flashes nothing), gone when it ends. Used by every source load
 * (sourceSwitch.ts) and by the panel's inspections (inspection.ts).
 */
import * as vscode from 'vscode';

/** Work that ends sooner shows no notification (a built-in encoding, a cached tokenizer, a short text). */
const PROGRESS_DELAY_MS = 300;

/** Shows "`title`" with Cancel while `work` runs, once it has taken `delayMs`; Cancel calls `onCancel`. */
export function progressWhileSlow(work: Promise<unknown>, title: string, onCancel: () => void, delayMs = PROGRESS_DELAY_MS): void {
  const ended = work.then(
    () => undefined,
    () => undefined,
  );
  const timer = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      const cancel = token.onCancellationRequested(onCancel);
      return ended.finally(() => cancel.dispose());
    });
  }, delayMs);
  void ended.then(() => clearTimeout(timer));
}
