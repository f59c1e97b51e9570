/**
 * The items of the Select Tokenizer… and Open Model… quick picks, and the settings change each choice
 * makes. Pure (no `vscode` import), unit-tested; sourceCommands.ts shows them.
 */
import { ENCODINGS, type EncodingName } from '../shared/embeddingTypes';
import { isGgufPath, type HostSettings } from './settings';
import { pathName } from './sourceNames';

export const ENCODING_DETAILS: Record<EncodingName, string> = {
  gpt2: 'GPT-2 · 50,257 tokens · the book’s tokenizer',
  r50k_base: 'GPT-3 (davinci) · 50,257 tokens',
  p50k_base: 'Codex / text-davinci-002/003 · 50,281 tokens',
  cl100k_base: 'GPT-3.5 / GPT-4 · 100,277 tokens',
  o200k_base: 'GPT-4o · 200,019 tokens',
};

/** What a quick pick item does when chosen. */
export type SourceAction =
  | { kind: 'encoding'; encoding: EncodingName }
  /** A tokenizer path (tokenizer.json, a folder holding one, or a .gguf) or, in Open Model…, a model path. */
  | { kind: 'path'; path: string }
  | { kind: 'openFile' }
  | { kind: 'openFolder' }
  /** The open model's own tokenizer: nothing to change. */
  | { kind: 'keep' };

export interface SourceItem {
  label: string;
  description?: string;
  detail?: string;
  /** A separator line (no action). */
  separator?: boolean;
  action?: SourceAction;
}

const CURRENT = 'current';
const separator = (label: string): SourceItem => ({ label, separator: true });

function recentItems(recent: readonly string[], current: string, what: (path: string) => string): SourceItem[] {
  return recent.map((path) => ({
    label: pathName(path),
    description: path === current ? `${CURRENT} · ${path}` : path,
    detail: what(path),
    action: { kind: 'path', path },
  }));
}

/** Which files a platform's engine can read for a tokenizer: the web worker gets single files through workspace.fs. */
export type TokenizerFiles = 'desktop' | 'web';

/**
 * Select Tokenizer…: an open model's own tokenizer first (current), the built-in encodings, the recently used
 * tokenizer files and folders, then the ways to open another one — on the web a tokenizer.json file only (no
 * folders, no .gguf: the web engine reads whole single files).
 */
export function tokenizerItems(s: HostSettings, recent: readonly string[], files: TokenizerFiles): SourceItem[] {
  const items: SourceItem[] = [];
  if (s.modelPath !== '') {
    items.push({
      label: `${pathName(s.modelPath)} (the open model’s own tokenizer)`,
      description: CURRENT,
      detail: 'Choosing another tokenizer closes the model: its table and positions give way to the random init.',
      action: { kind: 'keep' },
    });
  }
  const currentEncoding = s.modelPath === '' && s.tokenizerPath === '' ? s.encoding : undefined;
  items.push(
    separator('Built-in encodings'),
    ...ENCODINGS.map((encoding) => ({
      label: encoding,
      description: encoding === currentEncoding ? CURRENT : undefined,
      detail: ENCODING_DETAILS[encoding],
      action: { kind: 'encoding', encoding } as const,
    })),
  );
  const current = s.modelPath === '' ? s.tokenizerPath : '';
  const paths = current !== '' && !recent.includes(current) ? [current, ...recent] : recent;
  if (paths.length > 0) {
    items.push(separator('Recently used'), ...recentItems(paths, current, (p) => (isGgufPath(p) ? 'the tokenizer inside this .gguf file' : 'tokenizer.json')));
  }
  items.push(separator('Open'));
  if (files === 'web') {
    items.push({ label: '$(file) Open tokenizer.json file…', detail: 'A model’s tokenizer.json from the workspace', action: { kind: 'openFile' } });
    return items;
  }
  items.push(
    { label: '$(file) Open tokenizer.json or .gguf file…', detail: 'A model’s tokenizer.json, or the tokenizer inside a .gguf', action: { kind: 'openFile' } },
    {
      label: '$(folder-opened) Open model folder…',
      detail: 'A folder holding tokenizer.json: a model folder or a Hugging Face cache folder (…/models--org--name)',
      action: { kind: 'openFolder' },
    },
  );
  return items;
}

/** The settings a tokenizer choice writes: an encoding or a path replaces the other, and closes an open model. */
export function tokenizerChange(action: SourceAction): Partial<HostSettings> | undefined {
  switch (action.kind) {
    case 'encoding':
      return { encoding: action.encoding, tokenizerPath: '', modelPath: '' };
    case 'path':
      return { tokenizerPath: action.path, modelPath: '' };
    default:
      return undefined;
  }
}

/** Open Model…: the recently opened models (the open one marked), then a folder or a .gguf file. */
export function modelItems(s: HostSettings, recent: readonly string[]): SourceItem[] {
  const paths = s.modelPath !== '' && !recent.includes(s.modelPath) ? [s.modelPath, ...recent] : recent;
  const items: SourceItem[] = [];
  if (paths.length > 0) {
    items.push(separator('Recently opened'), ...recentItems(paths, s.modelPath, (p) => (isGgufPath(p) ? 'GGUF file' : 'Hugging Face model folder')));
  }
  items.push(
    separator('Open'),
    {
      label: '$(folder-opened) Open Hugging Face model folder…',
      detail: 'config.json, tokenizer.json and model.safetensors (or its shards)',
      action: { kind: 'openFolder' },
    },
    { label: '$(file) Open .gguf file…', detail: 'A llama.cpp / Ollama model file', action: { kind: 'openFile' } },
  );
  return items;
}

/** A model replaces a weights file too (its own table), so closing it later leads to the random init, not back to an unrelated file. */
export function modelChange(path: string): Partial<HostSettings> {
  return { modelPath: path, weightsPath: '', tokenTensor: '', positionTensor: '' };
}
