import { oracleSuite } from './oracleSuite';
import { lenmlPath, readJson } from './support';

oracleSuite('qwen3', () => readJson(lenmlPath('qwen3')), { view: (s) => s.normalize('NFC'), covers: true });
