import { oracleSuite } from './oracleSuite';
import { gpt2Json } from './support';

oracleSuite('gpt2', gpt2Json, { covers: true });
