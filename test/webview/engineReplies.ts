/**
 * Analysis replies for the webview tests, computed by the real EngineService in Node for the book text and
 * settings: what the worker would send. `answerTab` clicks a tab, checks what the panel asks, and answers.
 */
import assert from 'node:assert/strict';
import { EngineService } from '../../src/engine/service';
import { defaultEngineDependencies } from '../../src/engine/defaultDependencies';
import type { EmbeddingSettings } from '../../src/shared/embeddingTypes';
import type { AnalysisKind, AnalysisResult, InspectParams } from '../../src/shared/engineProtocol';
import { BOOK_TEXT, bookState, type JsonPanelState } from './fixtures';
import type { ViewPage } from './harness';

export const service = new EngineService(defaultEngineDependencies());
export const bookInspect: InspectParams = {
  text: BOOK_TEXT,
  settings: bookState().settings as unknown as EmbeddingSettings,
  firstToken: 0,
  maxTokens: 1000,
};

/** Typed arrays → plain arrays (what a JSON-safe page.evaluate argument can carry; the panel accepts both). */
export function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Clicks a tab, checks the panel asks for `kind`, and answers with the real engine's result for `inspect`. */
export async function answerTab(view: ViewPage, tab: string, kind: AnalysisKind, inspect: InspectParams = bookInspect): Promise<AnalysisResult> {
  const before = (await view.posted()).filter((m) => m.type === 'request').length;
  await view.page.click(`#tab-${tab}`);
  const asked = (await view.waitForPosted('request', before + 1)).at(-1)!;
  assert.deepEqual(asked, { type: 'request', id: asked.id, method: 'analysis', params: { kind }, channel: `analysis:${kind}` });
  const result = await service.analysis({ kind, inspect });
  await view.deliver({ type: 'response', id: asked.id, ok: true, result: plain(result) });
  return result;
}

/** The panel state the host would send for the book text under `settings` (the real engine's inspect result). */
export async function engineBookState(settings: Partial<EmbeddingSettings>): Promise<{ state: JsonPanelState; inspect: InspectParams }> {
  const base = bookState();
  const inspect: InspectParams = { ...bookInspect, settings: { ...bookInspect.settings, ...settings } };
  const result = await service.inspect(inspect);
  return {
    state: { ...base, settings: inspect.settings as unknown as JsonPanelState['settings'], result: plain(result) as JsonPanelState['result'] },
    inspect,
  };
}
