// Engine worker entry: placeholder until the engine service lands.
import { parentPort } from 'node:worker_threads';
parentPort?.on('message', () => undefined);
