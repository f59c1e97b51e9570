/**
 * `token-embeddings` CLI entry (bundled to dist/cli.js). Runs the engine in-process with its real parts.
 * Usage: token-embeddings <tokenize|weights|inspect|export> [flags]; see --help.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { EngineService } from '../engine/service';
import { defaultEngineDependencies } from '../engine/defaultDependencies';
import { runCli } from './commands';

const service = new EngineService(defaultEngineDependencies(), { sliceMs: Number.POSITIVE_INFINITY });
runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (path) => (path === '-' ? readFileSync(0) : readFileSync(path)),
    writeFile: (path, bytes) => (path === '-' ? process.stdout.write(bytes) : writeFileSync(path, bytes)),
  },
  service,
).then((code) => {
  process.exitCode = code;
});
