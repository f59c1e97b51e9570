import { oracleSuite } from './oracleSuite';
import { bertJson } from './support';

// BERT lowercases, strips accents (NFD) and drops whitespace: compare spans against that view of the text.
const bertView = (s: string): string => s.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
oracleSuite('bert-base-uncased', bertJson, { view: bertView, covers: false, unknownId: 100 });
