/** `token-embeddings tensors`: the 2-D tensors of a .safetensors file (its header only), candidates for the tables. */
import { PROGRAM, leftTable, printJson, type Command } from './io';
import { UsageError } from './options';
import { helpOption, jsonOption, weightsOptions } from './sources';

export const tensorsCommand: Command = {
  usage: `${PROGRAM} tensors --weights FILE [--json]`,
  description:
    'The 2-D tensors of a .safetensors file (only its header is read): candidates for --token-tensor and\n' +
    '--position-tensor, and which ones would be picked automatically.',
  options: { weights: weightsOptions.weights, json: jsonOption, help: helpOption },
  async run(values, io, service) {
    const path = values.weights as string | undefined;
    if (path === undefined) throw new UsageError('missing --weights FILE');
    const r = await service.tensors({ path });
    if (values.json) {
      printJson(io, r);
      return;
    }
    const rows = r.candidates.map((c) => [
      c.name,
      `[${c.rows}, ${c.cols}]`,
      c.readable ? c.dtype : `${c.dtype} (not viewable)`,
      c.name === r.detected.tokenTensor ? 'token (detected)' : c.name === r.detected.positionTensor ? 'position (detected)' : '',
    ]);
    io.stdout(`${r.candidates.length} two-dimensional tensors in ${path}\n${leftTable(['tensor', 'shape', 'dtype', 'use'], rows)}`);
  },
};
