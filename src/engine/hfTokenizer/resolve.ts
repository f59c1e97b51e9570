/**
 * Which tokenizer.json a path means (node:fs; Node only, reached through `#engine-files`): a file, a model folder
 * holding one, or a Hugging Face cache folder (`…/hub/models--ORG--NAME` or `…/snapshots/<rev>`). Never a download.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HfTokenizerError } from './errors';

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The tokenizer.json a path means; throws 'notFound' with what was looked for. */
export function resolveTokenizerJson(path: string): string {
  if (!existsSync(path)) throw new HfTokenizerError('notFound', `${path} does not exist`);
  if (!isDir(path)) return path;
  const direct = join(path, 'tokenizer.json');
  if (existsSync(direct)) return direct;
  // A cache folder models--ORG--NAME: the snapshot refs/main names, else the newest one with a tokenizer.json.
  const snapshots = join(path, 'snapshots');
  if (isDir(snapshots)) {
    let main: string | undefined;
    try {
      main = readFileSync(join(path, 'refs', 'main'), 'utf8').trim();
    } catch {
      main = undefined;
    }
    const candidates = readdirSync(snapshots)
      .map((rev) => ({ rev, file: join(snapshots, rev, 'tokenizer.json') }))
      .filter((c) => existsSync(c.file))
      .sort((a, b) => statSync(b.file).mtimeMs - statSync(a.file).mtimeMs);
    const chosen = candidates.find((c) => c.rev === main) ?? candidates[0];
    if (chosen) return chosen.file;
  }
  throw new HfTokenizerError('notFound', `no tokenizer.json in ${path} (nor in a snapshots/<revision>/ folder under it)`);
}
