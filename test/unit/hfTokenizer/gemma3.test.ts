import { oracleSuite } from './oracleSuite';
import { lenmlPath, readJson } from './support';

oracleSuite('gemma3', () => readJson(lenmlPath('gemma3')), { covers: true });
