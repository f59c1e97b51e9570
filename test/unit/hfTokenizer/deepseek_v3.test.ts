import { oracleSuite } from './oracleSuite';
import { lenmlPath, readJson } from './support';

oracleSuite('deepseek_v3', () => readJson(lenmlPath('deepseek_v3')), { covers: true });
