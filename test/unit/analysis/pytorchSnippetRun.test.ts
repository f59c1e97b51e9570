// "Copy as PyTorch" run in REAL PyTorch (Debian's python3-torch; .ci/run installs it): generated scripts for several
// encodings, shapes, seeds up to 2^64−1, the three positional schemes and windowed batches. The IDs, shapes and
// every printed value must match what the script says the extension showed.
//
// Scripts with the book's dataloader code `import tiktoken`, which Debian does not package: a stand-in module in
// the scripts' folder answers `encode` with the IDs the tiktoken npm package (OpenAI's tiktoken, WASM) gives for
// that exact text, and the test checks those are the engine's IDs. Everything after encode — GPTDatasetV1, the
// DataLoader's windows and batches, the layers — is real PyTorch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get_encoding, type TiktokenEncoding } from 'tiktoken';
import { generatePytorchSnippet, type PytorchSnippet, type PytorchSnippetOptions } from '../../../src/engine/analysis/pytorchSnippet';
import { RandomEmbeddingTables } from '../../../src/engine/randomTables';
import { getTokenizer } from '../../../src/engine/tokenizer';
import { formatTorchTensor } from '../../../src/engine/torchFormat';
import type { EncodingName, PositionalScheme } from '../../../src/shared/embeddingTypes';
import { fixtureDir } from '../../support/reference';
import { assertSamePrint, commentAfter, printedValues } from './torchPrint';

/** Debian's python3 has python3-torch; a pyenv/venv python3 earlier on PATH usually does not. */
const python = process.env.TORCH_PYTHON ?? '/usr/bin/python3';
const torchMissing = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status !== 0;

interface Variant {
  what: string;
  encoding: EncodingName;
  vocabSize: number;
  seed: string;
  dim: number;
  contextLength: number;
  stride: number;
  batchSize: number;
  positional: PositionalScheme;
  allowSpecial: boolean;
  text: string;
  /** How the script gets its IDs: the book's tiktoken + dataloader code on the text (inline or read from a file), or inlined IDs. */
  source: 'inline text' | 'text file' | 'ids';
}

const verdict = readFileSync(join(fixtureDir, 'the-verdict.txt'), 'utf8');
const variants: Variant[] = [
  {
    what: "the book's ch. 2 batch",
    encoding: 'gpt2',
    vocabSize: 50257,
    seed: '123',
    dim: 256,
    contextLength: 4,
    stride: 4,
    batchSize: 8,
    positional: 'learned',
    allowSpecial: true,
    text: verdict,
    source: 'text file',
  },
  {
    what: 'cl100k, seed 2^64−1, odd dim, sinusoidal, one row with special-token text kept plain',
    encoding: 'cl100k_base',
    vocabSize: 100277,
    seed: '18446744073709551615',
    dim: 5,
    contextLength: 16,
    stride: 16,
    batchSize: 4,
    positional: 'sinusoidal',
    allowSpecial: false,
    text: 'Hi <|endoftext|> there',
    source: 'inline text',
  },
  {
    what: 'o200k, seed 0, no positions, windows with stride 3',
    encoding: 'o200k_base',
    vocabSize: 200019,
    seed: '0',
    dim: 8,
    contextLength: 8,
    stride: 3,
    batchSize: 3,
    positional: 'none',
    allowSpecial: true,
    text: 'The quick brown fox jumps over the lazy dog. '.repeat(4),
    source: 'inline text',
  },
  {
    what: 'p50k, seed 2^63, sinusoidal up to position 63, inlined windows',
    encoding: 'p50k_base',
    vocabSize: 50281,
    seed: '9223372036854775808',
    dim: 16,
    contextLength: 64,
    stride: 32,
    batchSize: 2,
    positional: 'sinusoidal',
    allowSpecial: true,
    text: verdict.slice(0, 1200),
    source: 'ids',
  },
  {
    what: 'r50k, seed 42, learned, one short row',
    encoding: 'r50k_base',
    vocabSize: 50257,
    seed: '42',
    dim: 3,
    contextLength: 6,
    stride: 6,
    batchSize: 1,
    positional: 'learned',
    allowSpecial: false,
    text: 'Hello, world',
    source: 'ids',
  },
  {
    what: 'cl100k, seed 2^32+7, learned, windows of the dataloader over a file',
    encoding: 'cl100k_base',
    vocabSize: 100277,
    seed: '4294967303',
    dim: 12,
    contextLength: 32,
    stride: 16,
    batchSize: 4,
    positional: 'learned',
    allowSpecial: true,
    text: verdict.slice(0, 3000),
    source: 'text file',
  },
];

/** IDs from OpenAI's tiktoken (npm WASM build), special tokens allowed or encoded as plain text. */
function tiktokenIds(encoding: EncodingName, text: string, allowSpecial: boolean): number[] {
  const enc = get_encoding(encoding as TiktokenEncoding);
  try {
    return Array.from(allowSpecial ? enc.encode(text, 'all') : enc.encode(text, [], []));
  } finally {
    enc.free();
  }
}

const TIKTOKEN_STAND_IN = `# Test stand-in for tiktoken (not packaged by Debian): the IDs the tiktoken npm package gave for these texts.
import json, os

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiktoken_ids.json"), encoding="utf-8") as f:
    _IDS = json.load(f)


class _Encoding:
    def __init__(self, name):
        self.name = name

    def encode(self, text, allowed_special=(), disallowed_special="all"):
        key = "all" if allowed_special == "all" else "plain"
        return list(_IDS[self.name][key][text])


def get_encoding(name):
    return _Encoding(name)
`;

const GPT2_TOKENIZER = { kind: 'encoding', name: 'gpt2', model: 'BPE', vocabSize: 50257 } as const;

/** Runs every script in one Python process (torch imports once); returns each script's stdout. */
function runScripts(dir: string, files: string[]): string[] {
  const driver = [
    'import contextlib, io, os, runpy, sys, json',
    'sys.path.insert(0, sys.argv[1]); os.chdir(sys.argv[1])',
    'outs = []',
    'for f in sys.argv[2:]:',
    '    buf = io.StringIO()',
    '    with contextlib.redirect_stdout(buf):',
    '        runpy.run_path(f, run_name="__main__")',
    '    outs.append(buf.getvalue())',
    'print(json.dumps(outs))',
  ].join('\n');
  const r = spawnSync(python, ['-c', driver, dir, ...files], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
  assert.equal(r.status, 0, `python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

test(
  'Copy as PyTorch: the generated scripts run in real PyTorch and print what they say the extension showed',
  { skip: torchMissing && `no PyTorch for ${python}: apt-get install python3-torch (or set TORCH_PYTHON)`, timeout: 600_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippet-torch-'));
    try {
      const stand: Record<string, Record<'all' | 'plain', Record<string, number[]>>> = {};
      const snippets: { v: Variant; s: PytorchSnippet; ids: number[] }[] = [];
      const files: string[] = [];
      variants.forEach((v, i) => {
        // the engine's IDs are tiktoken's
        const ids = Array.from(getTokenizer(v.encoding).encode(v.text, { allowSpecial: v.allowSpecial }).ids);
        assert.deepEqual(ids, tiktokenIds(v.encoding, v.text, v.allowSpecial), `${v.what}: engine IDs vs tiktoken`);
        const byKind = ((stand[v.encoding] ??= { all: {}, plain: {} })[v.allowSpecial ? 'all' : 'plain'] ??= {});
        byKind[v.text] = ids;
        let text: PytorchSnippetOptions['text'];
        if (v.source === 'text file') {
          const name = `text${i}.txt`;
          writeFileSync(join(dir, name), v.text);
          text = { kind: 'file', path: name };
        } else if (v.source === 'inline text') text = { kind: 'inline', text: v.text };
        const s = generatePytorchSnippet({
          settings: {
            tokenizer: { kind: 'encoding', encoding: v.encoding },
            allowSpecial: v.allowSpecial,
            contextLength: v.contextLength,
            stride: v.stride,
            batchSize: v.batchSize,
            positional: v.positional,
          },
          source: {
            kind: 'random',
            seed: v.seed,
            vocabSize: v.vocabSize,
            dim: v.dim,
            contextLength: v.contextLength,
            tokenizer: GPT2_TOKENIZER,
            paddingRows: 0,
          },
          ids,
          tables: new RandomEmbeddingTables({ seed: v.seed, vocabSize: v.vocabSize, dim: v.dim, contextLength: v.contextLength }),
          text,
        });
        const file = join(dir, `snippet${i}.py`);
        writeFileSync(file, s.code);
        files.push(file);
        snippets.push({ v, s, ids });
      });
      writeFileSync(join(dir, 'tiktoken.py'), TIKTOKEN_STAND_IN);
      writeFileSync(join(dir, 'tiktoken_ids.json'), JSON.stringify(stand));
      copyFileSync(join(fixtureDir, 'the-verdict.txt'), join(dir, 'the-verdict.txt'));

      const outs = runScripts(dir, files);
      snippets.forEach(({ v, s, ids }, i) => {
        const what = v.what;
        const code = s.code;
        const [rows, T] = s.inputsShape;
        const printed = printedValues(outs[i]!);
        // Token IDs: the script's own windows (real DataLoader over the text, or the inlined rows) are the extension's
        assert.equal(printed[0], 'Token IDs:', `${what}: ${outs[i]}`);
        const idsPrint = printed[1]!;
        const expectedIds = formatTorchTensor(s.inputs, [rows, T], { dtype: 'int64' });
        assert.equal(idsPrint, expectedIds, `${what}: printed IDs`);
        if (v.source !== 'ids' && ids.length > v.contextLength) {
          assert.equal(
            commentAfter(code, `# expected: the IDs below (first batch, ${rows} window${rows === 1 ? '' : 's'} of ${T} tokens)`),
            idsPrint,
            `${what}: stated IDs`,
          );
        }
        // the windows are the book's: row r starts at r·stride of the whole text's IDs
        for (let r = 0; r < rows; r++) {
          const start = ids.length > v.contextLength ? r * v.stride : 0;
          assert.deepEqual(Array.from(s.inputs.subarray(r * T, (r + 1) * T)), ids.slice(start, start + T), `${what}: window ${r}`);
        }
        // shapes, in print order, against the script's "# expected: torch.Size(...)" lines
        const shapes = printed.filter((p) => p.startsWith('torch.Size('));
        const stated = [...code.matchAll(/^# expected: (torch\.Size\(.*\))$/gm)].map((m) => m[1]);
        assert.deepEqual(shapes, stated, `${what}: shapes`);
        assert.deepEqual(shapes, [
          `torch.Size([${rows}, ${T}])`,
          `torch.Size([${rows}, ${T}, ${v.dim}])`,
          `torch.Size([${T}, ${v.dim}])`,
          `torch.Size([${rows}, ${T}, ${v.dim}])`,
        ]);
        // every printed value of the three tensors
        const tensors = printed.filter((p) => p.startsWith('tensor(')).slice(1);
        assert.equal(tensors.length, 3, `${what}: ${outs[i]}`);
        ['token_embeddings', 'pos_embeddings', 'input_embeddings'].forEach((name, k) =>
          assertSamePrint(tensors[k]!, commentAfter(code, `# print(${name})`), `${what}: ${name}`),
        );
        assert.equal(printed.at(-1), 'matches the extension: True', what);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
