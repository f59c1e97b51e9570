/**
 * Finding the token and learned-position tables of a checkpoint by name: the usual final names (GPT-2 `wte`,
 * Llama/Qwen/Mistral/Gemma `embed_tokens`, BERT `word_embeddings`, Meta `tok_embeddings`, Pythia `embed_in`…)
 * under any module prefix (`model.`, `transformer.`, `gpt_neox.`, `language_model.model.`…).
 */
import { ModelError } from './errors';

const TOKEN_LEAVES = ['wte', 'embed_tokens', 'word_embeddings', 'tok_embeddings', 'embed_in', 'tok_emb', 'token_embedding'];
const POSITION_LEAVES = ['wpe', 'position_embeddings', 'embed_positions', 'pos_emb', 'position_embedding'];
/** Towers of multimodal checkpoints whose embeddings are not the text token table. */
const NON_TEXT = /(^|\.)(vision|visual|image|audio|speech|vision_tower|vision_model|multi_modal_projector|mtp)(\.|_|$)/;

const leafPattern = (leaves: readonly string[]) => new RegExp(`(^|\\.)(${leaves.join('|')})\\.weight$`);
const TOKEN_NAME = leafPattern(TOKEN_LEAVES);
const POSITION_NAME = leafPattern(POSITION_LEAVES);

/** Names that look like a token table, best first (fewest module levels). */
export function tokenTableCandidates(names: Iterable<string>): string[] {
  return rank(names, TOKEN_NAME);
}

export function positionTableCandidates(names: Iterable<string>): string[] {
  return rank(names, POSITION_NAME);
}

function rank(names: Iterable<string>, pattern: RegExp): string[] {
  const depth = (n: string) => n.split('.').length;
  return [...names].filter((n) => pattern.test(n) && !NON_TEXT.test(n)).sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

/**
 * The one table to use: an explicit name, else the shallowest candidate; two candidates at the same depth are
 * ambiguous and the caller must name one (the host offers a quick pick).
 */
export function chooseTable(
  candidates: readonly string[],
  requested: string | undefined,
  all: ReadonlySet<string>,
  role: string,
  where: string,
): string | null {
  if (requested !== undefined) {
    if (!all.has(requested))
      throw new ModelError('noTokenTable', `${where} has no tensor named ${JSON.stringify(requested)} (asked for as the ${role} table).`);
    return requested;
  }
  if (candidates.length === 0) return null;
  const depth = (n: string) => n.split('.').length;
  const best = candidates.filter((c) => depth(c) === depth(candidates[0]));
  if (best.length > 1) {
    throw new ModelError('ambiguousTokenTable', `${where} has several ${role} tables: ${best.map((b) => JSON.stringify(b)).join(', ')}; choose one.`);
  }
  return best[0];
}
