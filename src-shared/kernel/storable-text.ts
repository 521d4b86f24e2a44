// Text PostgreSQL can store, and input of a size and shape HQ accepts. PostgreSQL text and jsonb cannot
// hold NUL, and jsonb refuses unpaired UTF-16 surrogates: such a value fails at INSERT (or in a WHERE
// clause) with a driver error, so it is refused up front, with the path of the offending value. HQ's
// input guard runs `inputProblem` on every query, path parameter, header it reads and JSON body; ingest
// runs `unstorablePath` on every event it seals or receives. Pure: no platform, no database.

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;

/** What is wrong with a piece of text, in words for an error message. */
export const UNSTORABLE_MESSAGE = 'text with a NUL character or an unpaired surrogate';

/** True when PostgreSQL can store `text` (no NUL, every surrogate paired). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * The first path (`events.3.payload.note`, from `path`) of a string or key in `value` that PostgreSQL
 * cannot store, or null. Walks arrays and plain objects; other values are storable.
 */
export function unstorablePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (UNSTORABLE.test(k)) return `${path}.${k}`;
      const found = unstorablePath(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

export interface InputLimits {
  /** Longest string or object key, in UTF-16 code units. */
  maxString: number;
  /** Deepest nesting of arrays and objects (a flat object is depth 1). */
  maxDepth: number;
}

/**
 * HQ's bounds for any request input. No field of the wire protocol comes near 4,096 characters (ids and
 * hashes are under 100, free text under 500); 32 levels hold the deepest event payload several times.
 */
export const INPUT_LIMITS: InputLimits = Object.freeze({ maxString: 4096, maxDepth: 32 });

export interface InputProblem {
  /** Where: `query.card`, `body.events.3.payload.note`, `headers.authorization`. */
  path: string;
  message: string;
}

// eslint-disable-next-line no-control-regex
const UNSTORABLE_ALL = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A key as a path segment: its first 64 characters, what cannot be shown replaced with U+FFFD. */
function pathSegment(key: string): string {
  const head = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return head.replace(UNSTORABLE_ALL, '\uFFFD');
}

function textProblem(text: string, path: string, limits: InputLimits, what: string): InputProblem | null {
  if (text.length > limits.maxString) {
    return { path, message: `${what} longer than ${limits.maxString} characters (${text.length})` };
  }
  if (NUL.test(text)) return { path, message: `${what} with a NUL character` };
  if (UNSTORABLE.test(text)) return { path, message: `${what} with an unpaired UTF-16 surrogate` };
  return null;
}

/**
 * The first problem in `value` (parsed JSON, a query object, a header) under `path`: a string or key that
 * is too long, holds a NUL or an unpaired surrogate, or nesting deeper than the limit. Null when none.
 * The walk never descends below `maxDepth`, so a hostile value cannot exhaust the stack.
 */
export function inputProblem(
  value: unknown,
  path: string,
  limits: InputLimits = INPUT_LIMITS,
  depth = 0,
): InputProblem | null {
  if (typeof value === 'string') return textProblem(value, path, limits, 'text');
  if (value === null || typeof value !== 'object') return null;
  if (depth >= limits.maxDepth) {
    return { path, message: `nested deeper than ${limits.maxDepth} levels` };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = inputProblem(value[i], `${path}.${i}`, limits, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyPath = `${path}.${pathSegment(key)}`;
    const keyProblem = textProblem(key, keyPath, limits, 'a key');
    if (keyProblem) return keyProblem;
    const found = inputProblem(item, keyPath, limits, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * The nesting depth of JSON `text`, counted without parsing it (strings skipped), stopping as soon as it
 * passes `limit`: a body of a million `[` is refused before JSON.parse and its recursive checks see it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
