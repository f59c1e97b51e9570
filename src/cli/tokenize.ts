/** `token-embeddings tokenize`: the token ids of a text and the UTF-16 span of each, for any tokenizer source. */
import { tokenizerLabel } from '../shared/embeddingTypes';
import { visibleTokenText } from '../shared/visibleToken';
import { PROGRAM, table, type Command } from './io';
import { tokenizeJsonChunks } from './jsonStream';
import { helpOption, jsonOption, readText, textOptions, tokenizerFrom, tokenizerOptions } from './sources';

export const tokenizeCommand: Command = {
  usage: `${PROGRAM} tokenize (--text S | --file F) [--encoding gpt2 | --tokenizer PATH | --model PATH] [--allow-special] [--add-special] [--json]`,
  description:
    'Token ids of a text, with the [start, end) UTF-16 span of each token. --json prints\n' +
    '{"tokenizer": {kind, name, path, model, vocabSize}, "ids": [...], "spans": [[start, end], ...]}.',
  options: { ...textOptions, ...tokenizerOptions, json: jsonOption, help: helpOption },
  async run(values, io, service) {
    const { text } = readText(values, io);
    const tokenizer = tokenizerFrom(values);
    const r = await service.tokenize({
      text,
      options: { tokenizer, allowSpecial: values['allow-special'] === true, ...(values['add-special'] === true ? { addSpecialTokens: true } : {}) },
    });
    if (values.json) {
      for (const chunk of tokenizeJsonChunks(r.tokenizer, r.ids, r.spans)) io.stdout(chunk);
      io.stdout('\n');
      return;
    }
    const rows = Array.from(r.ids, (id, i) => {
      const [s, e] = [r.spans[2 * i], r.spans[2 * i + 1]];
      return [String(i), String(id), `${s}-${e}`, visibleTokenText(text.slice(s, e))];
    });
    io.stdout(`${r.ids.length} tokens (${tokenizerLabel(r.tokenizer)})\n${table(['#', 'id', 'span', 'text'], rows)}`);
  },
};
