/**
 * Short names of the active sources for quick picks, notifications and the status bar, from the settings
 * alone (no worker call). Pure (no `vscode` import), unit-tested.
 */
import type { TokenizerSource, WeightsSource } from '../shared/embeddingTypes';
import { tokenizerSourceOf, weightsSourceOf, type HostSettings } from './settings';

/** The last path segment ("/m/Llama-3.2-1B/" → "Llama-3.2-1B"). */
export function baseName(path: string): string {
  return (
    path
      .split(/[\\/]+/)
      .filter(Boolean)
      .pop() ?? path
  );
}

/**
 * A model or tokenizer folder's name: a Hugging Face cache path names its repository
 * (`…/models--meta-llama--Llama-3.2-1B/snapshots/abc/` → `meta-llama/Llama-3.2-1B`); a tokenizer.json is named
 * by its folder; anything else (a folder, a .gguf file) by itself.
 */
export function pathName(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const cache = parts.findIndex((p) => p.startsWith('models--'));
  if (cache >= 0) return parts[cache]!.slice('models--'.length).split('--').join('/');
  const last = parts[parts.length - 1] ?? path;
  return /^tokenizer\.json$/i.test(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
}

export function tokenizerName(source: TokenizerSource): string {
  return source.kind === 'encoding' ? source.encoding : pathName(source.path);
}

/** "the random init (seed 123)", "model.safetensors", "Llama-3.2-1B": what the tables are, as a sentence part. */
export function tablesName(weights: WeightsSource): string {
  switch (weights.kind) {
    case 'random':
      return `the random init (seed ${weights.seed})`;
    case 'file':
      return baseName(weights.path);
    case 'model':
      return pathName(weights.path);
  }
}

/** "the random init (seed 123) with tokenizer gpt2", "model Llama-3.2-1B": the active sources in words. */
export function describeSources(s: HostSettings): string {
  if (s.modelPath !== '') return `model ${tablesName(weightsSourceOf(s))}`;
  return `${tablesName(weightsSourceOf(s))} with tokenizer ${tokenizerName(tokenizerSourceOf(s))}`;
}

/** Most recent first, no duplicates, at most `max`. */
export function remember(list: readonly string[], path: string, max = 8): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, max);
}
