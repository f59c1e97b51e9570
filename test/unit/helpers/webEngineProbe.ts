/**
 * Runs the engine as the browser build does — `#engine-files` resolved under the browser condition to
 * files.web.ts, requests wrapped in the web worker's file loop — in a Node child process started with
 * `--conditions=browser` by test/unit/webEngine.test.ts. The "host" reads files the way src/web/webWorkerPort.ts
 * does (the extension's dist/ for bundled files, the path for user files), except that it refuses p50k_base's
 * rank file, to show the error a user would get. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineService } from '../../../src/engine/service';
import { defaultEngineDependencies } from '../../../src/engine/defaultDependencies';
import type { NeededFile } from '../../../src/shared/engineProtocol';
import { RpcError, CancellationFlag } from '../../../src/shared/rpc';
import { withFilesFromHost } from '../../../src/web/filesFromHost';
import { BOOK_SETTINGS } from '../../support/reference';

const [text, weightsPath] = process.argv.slice(2) as [string, string];
const dist = join(__dirname, '..', '..', '..', 'dist');
const requests: NeededFile[] = [];
const handlers = withFilesFromHost(new EngineService(defaultEngineDependencies()).handlers, async (file) => {
  requests.push(file);
  if (file.path.includes('p50k_base')) throw new RpcError('invalidInput', `cannot read ${file.path}`);
  return new Uint8Array(readFileSync(file.kind === 'bundled' ? join(dist, file.path) : file.path));
});

async function main(): Promise<void> {
  const flag = new CancellationFlag();
  const gpt2 = await handlers.tokenize({ text, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } }, flag);
  const gpt2Again = await handlers.tokenize({ text: `${text}!`, options: { tokenizer: { kind: 'encoding', encoding: 'gpt2' }, allowSpecial: false } }, flag);
  const cl100k = await handlers.tokenize({ text, options: { tokenizer: { kind: 'encoding', encoding: 'cl100k_base' }, allowSpecial: false } }, flag);
  const settings = { ...BOOK_SETTINGS, dim: 8, positional: 'sinusoidal' as const, weights: { kind: 'file' as const, path: weightsPath } };
  const inspected = await handlers.inspect({ text, settings, firstToken: 0, maxTokens: 4 }, flag);
  let refused = '';
  await Promise.resolve(handlers.tokenize({ text, options: { tokenizer: { kind: 'encoding', encoding: 'p50k_base' }, allowSpecial: false } }, flag)).catch(
    (e: unknown) => {
      refused = `${(e as RpcError).kind}: ${(e as Error).message}`;
    },
  );
  console.log(
    JSON.stringify({
      requests,
      gpt2: [...gpt2.ids],
      gpt2AgainLength: gpt2Again.ids.length,
      cl100k: [...cl100k.ids],
      tokenRow0: [...inspected.tokenEmbeddings.subarray(0, 8)],
      refused,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
