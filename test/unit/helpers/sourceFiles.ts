// The repository's own TypeScript sources, for tests that hold a convention over the whole code base.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Every .ts file below the given folders of the repository (generated modules left out). */
export function sourceFiles(...folders: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.generated.ts')) out.push(path);
    }
  };
  for (const folder of folders) walk(join(REPO_ROOT, folder));
  return out;
}
