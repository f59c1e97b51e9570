/**
 * Short names of the active sources for quick picks, notifications and the status bar, from the settings
 * alone (no worker call). Pure (no `vscode` import), unit-tested.
 */
import { sourcePathName, tokenizerKey, type TokenizerSource, type WeightsSource } from '../shared/embeddingTypes';
import { tokenizerSourceOf, weightsSourceOf, type HostSettings, type SourceFields } from './settings';

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

/**
 * What a change of the source settings switches to, for the loading and refusal messages — "model X",
 * "tokenizer X", "weights X" (both tokenizer and weights: the sources in words) — and the setting that names it.
 */
export function changedSource(previous: HostSettings, next: HostSettings): { name: string; setting: keyof SourceFields } {
  if (next.modelPath !== '') return { name: `model ${tablesName(weightsSourceOf(next))}`, setting: 'modelPath' };
  const parts: { name: string; setting: keyof SourceFields }[] = [];
  const tokenizer = tokenizerSourceOf(next);
  if (tokenizerKey(tokenizer) !== tokenizerKey(tokenizerSourceOf(previous))) {
    parts.push({ name: `tokenizer ${tokenizerName(tokenizer)}`, setting: tokenizer.kind === 'encoding' ? 'encoding' : 'tokenizerPath' });
  }
  const weights = weightsSourceOf(next);
  if (JSON.stringify(weights) !== JSON.stringify(weightsSourceOf(previous))) {
    parts.push({ name: weights.kind === 'file' ? `weights ${tablesName(weights)}` : tablesName(weights), setting: 'weightsPath' });
  }
  if (parts.length === 1) return parts[0]!;
  return { name: describeSources(next), setting: parts[0]?.setting ?? 'encoding' };
}

/** Most recent first, no duplicates, at most `max`. */
export function remember(list: readonly string[], path: string, max = 8): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, max);
}
