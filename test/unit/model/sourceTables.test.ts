// A model's tables as the service uses them: the description they reply with carries data, not prose.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { explainPositions, openModel } from '../../../src/engine/model';
import { ModelSourceTables } from '../../../src/engine/model/sourceTables';

const GGUF = join(__dirname, '..', '..', 'fixtures', 'gguf', 'ggml-written.gguf');

test("a model source's description names its positions as data; the explanation stays in the engine", () => {
  const model = openModel(GGUF);
  const tables = new ModelSourceTables(model, 16);
  try {
    const d = tables.describe();
    assert.equal(d.kind, 'model');
    if (d.kind !== 'model') return;
    const { explanation, ...positions } = model.description.positions;
    assert.deepEqual(d.positions, positions);
    assert.equal(d.positions.kind, 'rope');
    assert.equal('explanation' in d.positions, false);
    // The CLI's model description still explains it, from the same data.
    assert.equal(explanation, explainPositions(d.positions));
    assert.match(explanation, /rotary.*nothing is added to the token vector/);
    // Window: the settings' 16, below the model's 1,024 positions.
    assert.deepEqual([d.contextLength, d.modelContextLength], [16, 1024]);
  } finally {
    tables.dispose();
  }
});
