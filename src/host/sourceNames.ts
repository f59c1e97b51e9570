/**
 * Short names of the active sources for quick picks, notifications and the status bar, from the settings
 * alone (no worker call). Pure (no `vscode` import), unit-tested.
 */
import { sourcePathName, type TokenizerSource, type WeightsSource } from '../shared/embeddingTypes';
import { tokenizerSourceOf, weightsSourceOf, type HostSettings } from './settings';

export function tokenizerName(source: TokenizerSource): string {
  return source.kind === 'encoding' ? source.encoding : sourcePathName(source.path);
}

/** "the random init (seed 123)", "model.safetensors", "Llama-3.2-1B": what the tables are, as a sentence part. */
export function tablesName(weights: WeightsSource): string {
  switch (weights.kind) {
    case 'random':
      return `the random init (seed ${weights.seed})`;
    case 'file':
    case 'model':
      return sourcePathName(weights.path);
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
