/**
 * Engine worker entry (bundled to dist/worker.js). All tokenization and embedding work of the extension runs
 * here, off the extension host's thread; the host talks to it through EngineClient (src/host/engineClient.ts).
 */
import { serveEngine } from './serveEngine';

serveEngine();
