// "Copy as PyTorch" for a model source, run in REAL PyTorch (Debian's python3-torch + numpy): a Hugging Face folder
// with a learned position table (GPT-2 layout, padding rows), a RoPE folder (Qwen 3 layout) and a .gguf file. The
// scripts read the same files (safetensors parsed with json + numpy: Debian has no python3-safetensors), or embed the
// GGUF rows the extension dequantized; every printed value must equal what the engine computed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingSettings } from '../../../src/shared/embeddingTypes';
import { EngineService } from '../../../src/engine/service';
import { defaultEngineDependencies } from '../../../src/engine/defaultDependencies';
import { formatTorchTensor } from '../../../src/engine/torchFormat';
import { writeGpt2Folder, writeQwenModel } from '../helpers/modelFixtures';
import { assertSamePrint, commentAfter, printedValues } from './torchPrint';

const python = process.env.TORCH_PYTHON ?? '/usr/bin/python3';
const torchMissing = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status !== 0;
const root = mkdtempSync(join(tmpdir(), 'te-snippet-model-'));
after(() => rmSync(root, { recursive: true, force: true }));

const TEXT = 'Hello world! naïve café 😀 and <|endoftext|> text, a few more words here.';

test(
  'Copy as PyTorch for model sources: the scripts run in real PyTorch and print exactly the engine’s vectors',
  { skip: torchMissing && `no PyTorch for ${python}: apt-get install python3-torch (or set TORCH_PYTHON)`, timeout: 600_000 },
  async () => {
    const gpt2 = writeGpt2Folder(root);
    const qwen = writeQwenModel(root);
    const service = new EngineService(defaultEngineDependencies());
    for (const [what, path, dim, positional] of [
      ['HF folder, learned positions', gpt2.dir, 4, 'learned'],
      ['HF folder, RoPE', qwen.dir, 2, 'none'],
      ['GGUF, RoPE', qwen.gguf, 2, 'none'],
    ] as const) {
      const model = { kind: 'model', path } as const;
      const settings: EmbeddingSettings = {
        tokenizer: model,
        weights: model,
        allowSpecial: false,
        dim,
        contextLength: 8,
        stride: 8,
        batchSize: 2,
        positional: 'sinusoidal',
      };
      const { code } = await service.pytorchSnippet({ text: TEXT, settings });
      const inspected = await service.inspect({ text: TEXT, settings, firstToken: 0, maxTokens: 100 });
      assert.equal(inspected.positional, positional);
      if (path.endsWith('.gguf')) assert.match(code, /PyTorch cannot read a \.gguf file/);
      else assert.match(code, /load_tensor\(os\.path\.join\(MODEL, "model\.safetensors"\)/);
      const file = join(root, `snippet-${what.replace(/\W+/g, '-')}.py`);
      writeFileSync(file, code);
      const r = spawnSync(python, [file], { encoding: 'utf8', cwd: root, timeout: 300_000, maxBuffer: 64 << 20 });
      assert.equal(r.status, 0, `${what}: ${r.stderr}`);
      const out = r.stdout;
      const printed = printedValues(out);
      // the ids the script feeds are the engine's (the text's first window)
      const fb = inspected.firstBatch;
      assert.equal(
        printed[printed.indexOf('Token IDs:') + 1],
        formatTorchTensor(fb.inputs, [fb.batch, inspected.contextLength], { dtype: 'int64' }),
        `${what}: ids`,
      );
      // every printed value of the three tensors equals the script's statement of the engine's values
      const tensors = printed.filter((p) => p.startsWith('tensor(')).slice(1);
      assert.equal(tensors.length, 3, `${what}: ${out}`);
      ['token_embeddings', 'pos_embeddings', 'input_embeddings'].forEach((name, k) =>
        assertSamePrint(tensors[k]!, commentAfter(code, `# print(${name})`), `${what}: ${name}`),
      );
      assert.match(out, /matches the extension: True/, what);
      if (!path.endsWith('.gguf')) assert.match(out, /tokenizers gives the same IDs: True|pip install tokenizers to recompute/, what);
    }
    service.dispose();
  },
);
