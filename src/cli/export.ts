/**
 * `token-embeddings export`: writes what `inspect` shows — the first sliding-window batch of the book's pipeline —
 * to a CSV, JSON or NumPy .npy file (src/engine/analysis/export.ts, npy.ts), or the text's token IDs and spans.
 *   --what input       input_embeddings  (batch, context, dim)  = token + positional   [default]
 *   --what token       token_embeddings  (batch, context, dim)
 *   --what positional  pos_embeddings    (context, dim)
 *   --what inputs      the batch's token IDs (batch, context), int64 in .npy
 *   --what ids         every token of the text: IDs with UTF-16 spans and texts (.npy: the IDs, int64)
 * CSV has one row per token (batch·context rows for 3-D tensors) with leading index,id,token columns, where index
 * is the token's position in the whole text.
 */
import type { TokenizeResult } from '../shared/engineProtocol';
import { addEmbeddings } from '../engine/combine';
import { EXPORT_FORMATS, exportTensor, matrixToCsv, csvTextField, type ExportFile, type ExportFormat } from '../engine/analysis/export';
import { encodeNpy } from '../engine/analysis/npy';
import { tokensFile } from '../engine/analysis/views';
import type { EngineService } from '../engine/service';
import { PROGRAM, fileProblem, type CliIO, type Command } from './io';
import { UsageError, type OptionSpecs, type OptionValues } from './options';
import { helpOption, loaderOptions, readText, settingsFrom, textOptions, tokenizerOptions, weightsOptions } from './sources';

export const EXPORT_WHAT = ['input', 'token', 'positional', 'inputs', 'ids'] as const;
export type ExportWhat = (typeof EXPORT_WHAT)[number];

const exportOptions: OptionSpecs = {
  what: { kind: 'string', choices: EXPORT_WHAT, meta: 'WHAT', help: 'input | token | positional | inputs | ids', default: 'input' },
  format: { kind: 'string', choices: EXPORT_FORMATS, meta: 'FMT', help: "csv | json | npy (default: from --out's extension)" },
  out: { kind: 'string', meta: 'FILE', help: 'file to write; - writes to standard output' },
};

function formatOf(flags: OptionValues, out: string): ExportFormat {
  const given = flags.format as ExportFormat | undefined;
  if (given) return given;
  const ext = /\.([A-Za-z]+)$/.exec(out)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'json' || ext === 'npy') return ext;
  throw new UsageError(`cannot tell the format from ${JSON.stringify(out)}: add --format csv|json|npy or end --out with .csv, .json or .npy`);
}

function tokenText(text: string, tok: TokenizeResult, i: number): string {
  return text.slice(tok.spans[2 * i]!, tok.spans[2 * i + 1]!);
}

export const exportCommand: Command = {
  usage: `${PROGRAM} export (--text S | --file F) --out FILE [--what input|token|positional|inputs|ids] [--format csv|json|npy] [inspect's flags]`,
  description:
    'Writes the first sliding-window batch that inspect shows to a file: input_embeddings (default), token_embeddings\n' +
    "(batch, context, dim), pos_embeddings (context, dim) or the batch's token IDs (inputs); or every token of the text\n" +
    'with its span (ids). CSV (one row per token, index,id,token columns; token texts guarded against spreadsheet\n' +
    'formulas), JSON (nested arrays, shortest exact float32 decimals) or NumPy .npy (np.load gives float32/int64).',
  options: { ...textOptions, ...exportOptions, ...tokenizerOptions, ...weightsOptions, ...loaderOptions, help: helpOption },
  run: (values, io, service) => exportRun(values, io, service),
};

async function exportRun(flags: OptionValues, io: CliIO, service: EngineService): Promise<void> {
  const out = flags.out as string | undefined;
  if (out === undefined) throw new UsageError('missing --out FILE (use --out - for standard output)');
  const format = formatOf(flags, out);
  const what = (flags.what as ExportWhat | undefined) ?? 'input';
  const { text } = readText(flags, io);
  const settings = settingsFrom(flags);
  const { tokenizer, allowSpecial, addSpecialTokens } = settings;
  const tok = await service.tokenize({ text, options: { tokenizer, allowSpecial, addSpecialTokens } });
  const n = tok.ids.length;

  let file: ExportFile;
  if (what === 'ids') {
    // The source text of each token's span (the CLI exports what the text says; the panel its display text).
    const tokens = Array.from(tok.ids, (id, i) => ({ id, start: tok.spans[2 * i]!, end: tok.spans[2 * i + 1]!, text: tokenText(text, tok, i) }));
    file = tokensFile(tok.tokenizer, tokens, 0, format);
  } else {
    const r = await service.inspect({ text, settings, firstToken: 0, maxTokens: 0 });
    const fb = r.firstBatch;
    if (fb.batch === 0) {
      throw new Error(
        `the text has ${n} token${n === 1 ? '' : 's'}; a window of --context-length ${r.contextLength} needs at least ` +
          `${r.contextLength + 1} (input plus the shifted target): give more text, lower --context-length, or use --what ids`,
      );
    }
    const ctx = r.contextLength;
    const dim = r.dim;
    // Token index in the text of every input slot: window w starts at w·stride.
    const index = Int32Array.from({ length: fb.batch * ctx }, (_, k) => Math.floor(k / ctx) * settings.stride + (k % ctx));
    const labels = { index, ids: Array.from(fb.inputs), texts: Array.from(index, (i) => tokenText(text, tok, i)) };
    if (what === 'inputs') {
      if (format === 'npy') file = { extension: 'npy', mime: 'application/octet-stream', bytes: encodeNpy(Array.from(fb.inputs), [fb.batch, ctx]) };
      else if (format === 'json') {
        const rows = Array.from({ length: fb.batch }, (_, b) => Array.from(fb.inputs.subarray(b * ctx, (b + 1) * ctx)));
        file = {
          extension: 'json',
          mime: 'application/json',
          bytes: new TextEncoder().encode(JSON.stringify({ name: 'inputs', dtype: 'int64', shape: [fb.batch, ctx], data: rows }) + '\n'),
        };
      } else {
        const lines = ['index,id,token', ...Array.from(index, (i, k) => `${i},${fb.inputs[k]},${csvTextField(labels.texts[k]!)}`)];
        file = { extension: 'csv', mime: 'text/csv', bytes: new TextEncoder().encode(lines.join('\r\n') + '\r\n') };
      }
    } else {
      const rows = await service.rows({ settings, tokenRows: Array.from(fb.inputs), positionRows: Array.from({ length: ctx }, (_, i) => i) });
      if (what === 'positional') {
        const slots = Int32Array.from({ length: ctx }, (_, i) => i);
        file =
          format === 'csv'
            ? { extension: 'csv', mime: 'text/csv', bytes: new TextEncoder().encode(matrixToCsv(rows.position, ctx, dim, { index: slots })) }
            : exportTensor(format, { name: 'pos_embeddings', data: rows.position, shape: [ctx, dim] });
      } else {
        const data = what === 'token' ? rows.token : addEmbeddings(rows.token, rows.position);
        const name = what === 'token' ? 'token_embeddings' : 'input_embeddings';
        file = exportTensor(format, { name, data, shape: [fb.batch, ctx, dim] }, format === 'csv' ? labels : undefined);
      }
    }
  }
  try {
    io.writeFile(out, file.bytes);
  } catch (e) {
    throw new Error(`cannot write ${out}: ${fileProblem(e, 'its folder does not exist')}`);
  }
  if (out !== '-') io.stdout(`wrote ${out} (${file.bytes.length} bytes, ${format}, ${what})\n`);
}
