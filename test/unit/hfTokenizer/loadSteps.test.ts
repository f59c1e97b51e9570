// Loading a tokenizer.json is stepped work: the lean read and the model build pause every few thousand entries, the
// engine service runs those steps between event-loop turns (answering other requests) and stops them on a cancel.
// The steps are observed by wrapping the real dependencies' step runner: counts and order, never time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenizerSource } from '../../../src/shared/embeddingTypes';
import { CancellationFlag, RpcError } from '../../../src/shared/rpc';
import { EngineService, type EngineDependencies } from '../../../src/engine/service';
import { defaultEngineDependencies } from '../../../src/engine/defaultDependencies';
import { parseHfTokenizer, parseHfTokenizerSteps } from '../../../src/engine/hfTokenizer/create';
import { LOAD_STEP_ENTRIES } from '../../../src/engine/hfTokenizer/leanJson';
import { writeGpt2Folder, writeQwenModel } from '../helpers/modelFixtures';
import { lenmlPath, readJson, RustOracle } from './support';

const HOVER = 'Hello world, a hover';
const gpt2: TokenizerSource = { kind: 'encoding', encoding: 'gpt2' };
const gemma: TokenizerSource = { kind: 'tokenizer.json', path: lenmlPath('gemma3') };
const llama: TokenizerSource = { kind: 'tokenizer.json', path: lenmlPath('llama3') };

interface LoadLog {
  /** Steps the load has taken (pauses it reached). */
  steps: number;
  /** Whether a load ran to its end. */
  done: boolean;
}

/** Passes a load's steps through, counting them and calling `onStep` at each pause. */
function* watched<T>(steps: Generator<void, T, void>, log: LoadLog, onStep: (n: number) => void): Generator<void, T, void> {
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) {
        log.done = true;
        return r.value;
      }
      log.steps++;
      onStep(log.steps);
      yield;
    }
  } finally {
    // Stopped by the runner (a cancel): stop the load too, as a `yield*` would, so its `finally` blocks run.
    if (!log.done) {
      steps.return(undefined as T);
      loadsStopped++;
    }
  }
}

/** Loads that were stopped between steps (counted once their `finally` blocks have run). */
let loadsStopped = 0;

/** Event-loop turns until `condition` holds: a cancelled request is answered before its shared load notices. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turns = 0; !condition(); turns++) {
    if (turns === 100_000) throw new Error(`${what}: not after ${turns} event-loop turns`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The real dependencies, with every tokenizer load's steps observed. */
function observedDependencies(log: LoadLog, onStep: (n: number) => void = () => undefined): EngineDependencies {
  const real = defaultEngineDependencies();
  return {
    tokenizer: (source, run) => real.tokenizer(source, (steps) => run(watched(steps, log, onStep))),
    tables: (spec) => real.tables(spec),
    dispose: () => real.dispose?.(),
  };
}

function stepCount(steps: Generator<void, unknown, void>): number {
  let n = 0;
  while (!steps.next().done) n++;
  return n;
}

test('a Gemma 3 load takes one step per few thousand vocabulary entries and merges, and builds the same tokenizer as the plain call', async () => {
  const bytes = readFileSync(lenmlPath('gemma3'));
  const json = readJson(lenmlPath('gemma3'));
  const entries = Object.keys((json.model as { vocab: object }).vocab).length + (json.model as { merges: unknown[] }).merges.length;
  const steps = stepCount(parseHfTokenizerSteps(bytes, 'gemma3'));
  // Reading the vocabulary and merges, then the vocabulary index, the unique-id check and the merge table: each in slices.
  assert.ok(steps >= (2 * entries) / LOAD_STEP_ENTRIES, `${steps} steps for ${entries} entries`);
  const text = 'Stepped loads give the same ids: naïve café, 東京, 😀 <start_of_turn>user';
  const whole = parseHfTokenizer(bytes, 'gemma3').encode(text, { allowSpecial: true });
  assert.deepEqual(Array.from(whole.ids), await new RustOracle(json).ids(text, true));
});

test('while Gemma 3 loads in the engine service, a hover on the current tokenizer is answered before the load ends', async () => {
  const log: LoadLog = { steps: 0, done: false };
  let hover: Promise<{ ids: number[]; stepsBefore: number; loadDone: boolean }> | undefined;
  const service = new EngineService(
    observedDependencies(log, (n) => {
      // The first pause of the load: ask for a hover's tokens with the tokenizer already in use.
      if (n !== 1) return;
      hover = service.tokenize({ text: HOVER, options: { tokenizer: gpt2, allowSpecial: false } }).then((r) => ({
        ids: Array.from(r.ids),
        stepsBefore: log.steps,
        loadDone: log.done,
      }));
    }),
    // A yield at every step, so the order below holds on a machine of any speed.
    { sliceMs: 0 },
  );
  const before = await service.tokenize({ text: HOVER, options: { tokenizer: gpt2, allowSpecial: false } });
  const loaded = await service.tokenize({ text: HOVER, options: { tokenizer: gemma, allowSpecial: false } });
  assert.ok(hover, 'the load paused (its steps went through the service)');
  const answered = await hover;
  assert.equal(answered.loadDone, false, 'the hover was answered while the load was still running');
  assert.ok(answered.stepsBefore < log.steps, `hover answered after ${answered.stepsBefore} of ${log.steps} load steps`);
  assert.deepEqual(answered.ids, Array.from(before.ids));
  assert.equal(log.done, true);
  assert.deepEqual(Array.from(loaded.ids), await new RustOracle(readJson(lenmlPath('gemma3'))).ids(HOVER, false));
  service.dispose();
});

test('cancelling a Gemma 3 load mid-way stops its steps; the loaded tokenizer stays active', async () => {
  const log: LoadLog = { steps: 0, done: false };
  const cancel = new CancellationFlag();
  const CANCEL_AT = 5;
  let armed = false; // only the Gemma 3 load is cancelled
  const service = new EngineService(
    observedDependencies(log, (n) => {
      if (armed && n === CANCEL_AT) cancel.cancel();
    }),
  );
  const oracle = new RustOracle(readJson(lenmlPath('llama3')));
  const first = await service.tokenize({ text: HOVER, options: { tokenizer: llama, allowSpecial: false } });
  assert.equal(service.stats().tokenizerLoads, 1);
  log.steps = 0;
  log.done = false;
  armed = true;
  const pending = service.tokenize({ text: HOVER, options: { tokenizer: gemma, allowSpecial: false } }, cancel);
  await assert.rejects(pending, (e: unknown) => e instanceof RpcError && e.kind === 'cancelled');
  // Let the event loop turn: an abandoned load must not go on in the background.
  for (let k = 0; k < 5; k++) await new Promise<void>((resolve) => setImmediate(resolve));
  const full = stepCount(parseHfTokenizerSteps(readFileSync(lenmlPath('gemma3'))));
  assert.equal(log.done, false, 'the cancelled load did not run to its end');
  assert.equal(log.steps, CANCEL_AT, `the load stopped at the step after the cancel (${log.steps} of ${full} steps)`);
  // The Llama 3 tokenizer loaded before is still there: answered without another load, Rust's ids.
  const again = await service.tokenize({ text: `${HOVER}!`, options: { tokenizer: llama, allowSpecial: false } });
  assert.equal(service.stats().tokenizerLoads, 2, 'one Llama 3 load and the cancelled Gemma 3 one');
  assert.deepEqual(Array.from(again.ids), await oracle.ids(`${HOVER}!`, false));
  assert.deepEqual(Array.from(first.ids), await oracle.ids(HOVER, false));
  service.dispose();
});

test('a model folder loads its tokenizer.json in steps too (reading and building); cancelled mid-way it stops', async () => {
  const root = mkdtempSync(join(tmpdir(), 'te-load-steps-'));
  try {
    const { dir } = writeGpt2Folder(root);
    const model: TokenizerSource = { kind: 'model', path: dir };
    const json = readJson(lenmlPath('gpt2'));
    const entries = Object.keys((json.model as { vocab: object }).vocab).length + (json.model as { merges: unknown[] }).merges.length;

    const log: LoadLog = { steps: 0, done: false };
    const cancel = new CancellationFlag();
    const stepping = new EngineService(observedDependencies(log, (n) => n === 3 && cancel.cancel()));
    await assert.rejects(
      stepping.tokenize({ text: HOVER, options: { tokenizer: model, allowSpecial: false } }, cancel),
      (e: unknown) => e instanceof RpcError && e.kind === 'cancelled',
    );
    assert.deepEqual(log, { steps: 3, done: false });
    stepping.dispose();

    const full: LoadLog = { steps: 0, done: false };
    const service = new EngineService(observedDependencies(full));
    const r = await service.tokenize({ text: HOVER, options: { tokenizer: model, allowSpecial: false } });
    // Two loads in steps: the folder's tokenizer.json read, then the tokenizer built from it.
    assert.ok(full.steps >= (2 * entries) / LOAD_STEP_ENTRIES, `${full.steps} steps for ${entries} entries`);
    assert.deepEqual(Array.from(r.ids), await new RustOracle(json).ids(HOVER, false));
    service.dispose();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a .gguf model reads its vocabulary arrays and builds its tokenizer in steps; cancelled mid-way it stops and closes the file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'te-load-steps-'));
  try {
    const { gguf, json } = writeQwenModel(root);
    const model: TokenizerSource = { kind: 'model', path: gguf };
    const tokens = Object.keys((json.model as { vocab: object }).vocab).length;
    const merges = (json.model as { merges: unknown[] }).merges.length;
    // Where the process lists its open files (Linux): the cancelled load must not leave the model file open.
    const openFiles = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').map((fd) => safeReadlink(`/proc/self/fd/${fd}`)) : []);

    const log: LoadLog = { steps: 0, done: false };
    const cancel = new CancellationFlag();
    const stepping = new EngineService(observedDependencies(log, (n) => n === 3 && cancel.cancel()));
    const stoppedBefore = loadsStopped;
    await assert.rejects(
      stepping.tokenize({ text: HOVER, options: { tokenizer: model, allowSpecial: false } }, cancel),
      (e: unknown) => e instanceof RpcError && e.kind === 'cancelled',
    );
    await until(() => loadsStopped > stoppedBefore, 'the cancelled load stopped');
    assert.deepEqual(log, { steps: 3, done: false });
    assert.ok(!openFiles().includes(gguf), 'the cancelled load closed the .gguf file');
    stepping.dispose();

    const full: LoadLog = { steps: 0, done: false };
    const service = new EngineService(observedDependencies(full));
    const r = await service.tokenize({ text: HOVER, options: { tokenizer: model, allowSpecial: false } });
    // The header's token and merge arrays, then the vocabulary and merges resolved, then the tokenizer built: in slices.
    assert.ok(full.steps >= (2 * (tokens + merges)) / LOAD_STEP_ENTRIES, `${full.steps} steps for ${tokens} tokens and ${merges} merges`);
    assert.deepEqual(Array.from(r.ids), await new RustOracle(json).ids(HOVER, false));
    service.dispose();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return ''; // closed meanwhile (the listing's own handle)
  }
}

test("a tokenizer's one-time preparation (junction pairs, the id → token map) runs in steps in its first encode, not in a later one", async () => {
  const json = readJson(lenmlPath('gemma3'));
  const tok = parseHfTokenizer(readFileSync(lenmlPath('gemma3')), 'gemma3');
  const pauses = (text: string): { pauses: number; ids: number[] } => {
    const steps = tok.encodeSteps(text, { allowSpecial: false });
    let n = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) n++;
    return { pauses: n, ids: Array.from(r.value.ids) };
  };
  const merges = (json.model as { merges: unknown[] }).merges.length;
  const first = pauses(HOVER);
  // The junction pairs are gathered from the merge table's slots (at least 1.5 per merge) a slice at a time.
  assert.ok(first.pauses >= (1.5 * merges) / LOAD_STEP_ENTRIES, `${first.pauses} pauses in the first encode`);
  const later = pauses(HOVER);
  assert.equal(later.pauses, 0, 'nothing is prepared twice');
  assert.deepEqual(first.ids, later.ids);
  assert.deepEqual(later.ids, await new RustOracle(json).ids(HOVER, false));
  const infos = tok.tokenInfos(HOVER, tok.encode(HOVER, { allowSpecial: false }), 0, 2);
  assert.deepEqual(
    infos.map((t) => t.text),
    ['Hello', ' world'],
  );
});
