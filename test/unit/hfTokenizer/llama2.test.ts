import { oracleSuite } from './oracleSuite';
import { lenmlPath, readJson } from './support';

oracleSuite('llama2', () => readJson(lenmlPath('llama2')), { covers: true });
