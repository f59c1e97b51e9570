/**
 * The `default:` of every switch over a message union: it does not compile while a member of the union
 * has no case, so a new message type cannot be silently dropped; at run time it throws on a value the
 * types said could not exist.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${describe(value)}`);
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
