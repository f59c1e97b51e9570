import { oracleSuite } from './oracleSuite';
import { lenmlPath, readJson } from './support';

oracleSuite('llama3', () => readJson(lenmlPath('llama3')), { covers: true });
