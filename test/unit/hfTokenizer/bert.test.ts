import { oracleSuite } from './oracleSuite';
import { bertJson } from './support';

// BERT lowercases, strips accents (NFD) and drops whitespace: compare spans against that view of the text.
// It also drops control and format characters, U+FFFD and lone surrogates (which arrive as U+FFFD).
const bertView = (s: string): string =>
  s
    .replace(/[\p{Cs}\uFFFD]/gu, '')
    .replace(/[\p{Cc}\p{Cf}]/gu, (c) => ('\t\n\r'.includes(c) ? c : ''))
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '');
oracleSuite('bert-base-uncased', bertJson, { view: bertView, covers: false, unknownId: 100 });
