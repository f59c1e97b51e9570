/** Pure helpers of the weights picker (no `vscode` import, unit-tested). */
import type { TensorCandidate, TensorsResult } from '../shared/engineProtocol';

/** Candidates a quick pick offers for one role: readable 2-D tensors, the ones named for the role first. */
export function candidatesFor(tensors: TensorsResult, role: 'token' | 'position'): TensorCandidate[] {
  const readable = tensors.candidates.filter((c) => c.readable);
  return [...readable.filter((c) => c.role === role), ...readable.filter((c) => c.role !== role)];
}
