/**
 * The engine's real parts, wired for the worker (Node and browser) and the CLI: tokenizers — the tiktoken-exact
 * BPE of the built-in encodings (ranks from dist/ranks), a Hugging Face tokenizer.json, or a model's own — and
 * tables — PyTorch-exact random ones, a .safetensors file's, or a model's (Hugging Face folder or .gguf).
 *
 * Files are read only through `#engine-files` and `#engine-models` (src/engine/platform/; the browser editions
 * read the files the extension host handed over, and cannot open model folders or .gguf files).
 */
import type { TokenizerSource } from '../shared/embeddingTypes';
import type { EngineDependencies, TablesSpec } from './service';
import type { EmbeddingTables, Tokenizer } from './types';
import type { StepRunner } from './steps';
import { getTokenizer } from './tokenizer';
import { RandomEmbeddingTables } from './randomTables';
import { openFileTables } from './safetensors/fileTablesFactory';
import { createHfTokenizerSteps, parseHfTokenizerSteps } from './hfTokenizer/create';
import type { OpenedModel } from './model/description';
import { checkRowsCoverIds } from './model/modelTables';
import { ModelSourceTables } from './model/sourceTables';
import { readTokenizerJson } from '#engine-files';
import { openModelFiles, openModelFilesSteps } from '#engine-models';

/** An opened model whose tokenizer was built and whose tables no one took yet (one open serves both). */
type PendingModel = Pick<OpenedModel, 'tables' | 'description'>;

export function defaultEngineDependencies(): EngineDependencies {
  let pending: { path: string; model: PendingModel } | null = null;
  const keepPending = (path: string, model: PendingModel) => {
    if (pending && pending.model !== model) pending.model.tables.dispose();
    pending = { path, model };
  };
  /** The opened model for `path`: the pending one (ownership passes to the caller) or a fresh open. */
  const takeModel = (path: string): PendingModel => {
    if (pending && pending.path === path) {
      const { model } = pending;
      pending = null;
      return model;
    }
    return openModelFiles(path);
  };

  return {
    tokenizer: (source, run) => loadTokenizer(source, run, keepPending),
    tables: (spec) => openTables(spec, takeModel),
    dispose: () => {
      pending?.model.tables.dispose();
      pending = null;
    },
  };
}

/**
 * Loads in steps (reading the file without blocking, then scanning and building the tokenizer a few thousand
 * entries at a time: ~0.7 s of CPU for Gemma 3's 33 MB file), so the worker answers other messages meanwhile and an
 * abandoned load stops at its next step (`run` throws once the load is cancelled).
 */
async function loadTokenizer(source: TokenizerSource, run: StepRunner, keepPending: (path: string, model: PendingModel) => void): Promise<Tokenizer> {
  switch (source.kind) {
    case 'encoding':
      return getTokenizer(source.encoding);
    case 'tokenizer.json': {
      const { bytes, file } = await readTokenizerJson(source.path);
      return run(parseHfTokenizerSteps(bytes, file));
    }
    case 'model': {
      const opened = await run<OpenedModel>(openModelFilesSteps(source.path));
      try {
        const tokenizer = await run(createHfTokenizerSteps(opened.tokenizerJson, { sourcePath: opened.description.path }));
        keepPending(source.path, { tables: opened.tables, description: opened.description });
        return tokenizer;
      } catch (e) {
        opened.tables.dispose();
        throw e;
      }
    }
  }
}

function openTables(spec: TablesSpec, takeModel: (path: string) => PendingModel): EmbeddingTables {
  const { weights } = spec;
  switch (weights.kind) {
    case 'file':
      return openFileTables({ weights, vocabSize: spec.vocabSize, contextLength: spec.contextLength });
    case 'model': {
      const model = takeModel(weights.path);
      try {
        // The model's own tokenizer is checked when it opens; another tokenizer's ids must have rows too.
        const t = model.tables;
        checkRowsCoverIds(t.vocabSize, spec.vocabSize, t.tokenTensor, () => undefined, model.description.path);
        return new ModelSourceTables(model, spec.contextLength);
      } catch (e) {
        model.tables.dispose();
        throw e;
      }
    }
    case 'random':
      return new RandomEmbeddingTables({ seed: weights.seed, vocabSize: spec.vocabSize, dim: spec.dim, contextLength: spec.contextLength });
  }
}
