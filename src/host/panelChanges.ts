/**
 * The inspector panel's own control changes (seed, dim, context…), which change that panel only, and what
 * "Apply to Settings" writes for them: the user settings they stand for. Pure: unit-tested without VS Code.
 */
import { SECTION, SETTING_KEYS, type HostSettings } from './settings';
import type { ChangeSettings } from './webviewMessages';
import type { EncodingName, TokenizerSource } from '../shared/embeddingTypes';
import { tokenizerChange } from './sourceChoice';

/** What the panel shows on top of the user's settings. */
export interface PanelChanges {
  overrides: ChangeSettings;
  /** The random-init seed typed in the panel (only while the weights are the random init). */
  seed: string | undefined;
}

/** Each panel setting and the user setting it stands for (EmbeddingSettings and HostSettings name a few differently). */
const USER_SETTING_OF = {
  tokenizer: 'encoding',
  allowSpecial: 'allowSpecialTokens',
  dim: 'dim',
  contextLength: 'contextLength',
  stride: 'stride',
  batchSize: 'batchSize',
  positional: 'positional',
} as const satisfies Partial<Record<keyof ChangeSettings, keyof HostSettings>>;

/** The user settings that make the panel's changes everyone's; only values that differ from `user`. */
export function settingsToApply(changes: PanelChanges, user: HostSettings): Partial<HostSettings> {
  const out: Partial<Record<keyof HostSettings, unknown>> = {};
  for (const [key, raw] of Object.entries(changes.overrides) as [keyof typeof USER_SETTING_OF, unknown][]) {
    const target = USER_SETTING_OF[key];
    if (target === undefined) continue;
    // The panel picks built-in encodings only (webviewMessages.ts): the user setting holds the encoding's name.
    const value = key === 'tokenizer' ? ((raw as TokenizerSource).kind === 'encoding' ? (raw as { encoding: EncodingName }).encoding : undefined) : raw;
    if (value === undefined) continue;
    // An encoding is the active tokenizer only without a tokenizer or model path (settings.ts): applying it clears them.
    const writes: Partial<Record<keyof HostSettings, unknown>> =
      key === 'tokenizer' ? tokenizerChange({ kind: 'encoding', encoding: value as EncodingName })! : { [target]: value };
    for (const [k, v] of Object.entries(writes) as [keyof HostSettings, unknown][]) if (user[k] !== v) out[k] = v;
  }
  if (changes.seed !== undefined && changes.seed !== user.seed) out.seed = changes.seed;
  return out as Partial<HostSettings>;
}

/** Whether the panel shows anything but the user's settings (its "changed for this panel only" note). */
export function differsFromSettings(changes: PanelChanges, user: HostSettings): boolean {
  return Object.keys(settingsToApply(changes, user)).length > 0;
}

/** "tokenEmbeddings.dim = 64, tokenEmbeddings.seed = 7" (for the panel's status and the log). */
export function describeApplied(values: Partial<HostSettings>): string {
  return (Object.keys(values) as (keyof HostSettings)[]).map((k) => `${SECTION}.${SETTING_KEYS[k]} = ${String(values[k])}`).join(', ');
}
