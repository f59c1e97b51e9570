/**
 * The `default` of a switch over a message union: a compile error when a message type is added but not
 * handled, and a loud failure (never a silent drop) if an unhandled one arrives anyway.
 */
export function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify((value as { type?: unknown } | null)?.type ?? value)}`);
}
