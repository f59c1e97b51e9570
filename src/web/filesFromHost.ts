/**
 * The browser engine's file loop: a request that needs a file the worker does not hold yet (FileNeededError from
 * files.web.ts) asks the extension host for it, stores it, and runs again. Pure: the worker entry passes the
 * host call, tests pass their own reader.
 */
import { isFileNeededError } from '../engine/platform/fileNeeded';
import { provideFile } from '../engine/platform/files.web';
import type { NeededFile } from '../shared/engineProtocol';
import type { Handlers, MethodMap } from '../shared/rpc';

/** A request needs at most a rank file and a weights file; more means something keeps dropping them. */
const MAX_FILES_PER_REQUEST = 4;

export function withFilesFromHost<M extends MethodMap<M>>(handlers: Handlers<M>, readFile: (file: NeededFile) => Promise<Uint8Array>): Handlers<M> {
  const wrapped: Record<string, unknown> = {};
  for (const [method, handler] of Object.entries(handlers) as [string, (params: unknown, cancel: never) => unknown][]) {
    wrapped[method] = async (params: unknown, cancel: never) => {
      for (let fetched = 0; ; fetched++) {
        try {
          return await handler(params, cancel);
        } catch (e) {
          if (!isFileNeededError(e) || fetched === MAX_FILES_PER_REQUEST) throw e;
          provideFile(e.file, await readFile(e.file));
        }
      }
    };
  }
  return wrapped as Handlers<M>;
}
