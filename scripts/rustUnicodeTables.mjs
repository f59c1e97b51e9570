// Readers for regex-syntax's generated Unicode tables (`unicode_tables/*.rs`), shared by the
// scripts that pin the engine's Unicode classes to the Rust references' Unicode version.

/** Parses one Rust char literal body (between the quotes) into a code point. */
export function rustChar(lit) {
  if (lit.startsWith('\\u{')) return parseInt(lit.slice(3, -1), 16);
  const escapes = { '\\t': 9, '\\n': 10, '\\r': 13, '\\0': 0, "\\'": 39, '\\\\': 92 };
  if (lit in escapes) return escapes[lit];
  const cp = lit.codePointAt(0);
  if (String.fromCodePoint(cp) !== lit) throw new Error(`unparsed char literal ${lit}`);
  return cp;
}

/** Reads `pub const NAME: &'static [(char, char)] = &[ ('a', 'z'), ... ];` into [lo, hi] pairs. */
export function rustTable(src, name) {
  const start = src.indexOf(`pub const ${name}:`);
  if (start < 0) throw new Error(`table ${name} not found`);
  const end = src.indexOf('];', start);
  const body = src.slice(src.indexOf('&[', start) + 2, end);
  const re = /\('((?:\\.|\\u\{[0-9a-fA-F]+\}|[^'\\])+)',\s*'((?:\\.|\\u\{[0-9a-fA-F]+\}|[^'\\])+)'\)/gu;
  const out = [];
  for (const m of body.matchAll(re)) out.push([rustChar(m[1]), rustChar(m[2])]);
  if (out.length === 0) throw new Error(`table ${name} is empty`);
  return out;
}
