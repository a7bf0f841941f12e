/**
 * Text as it comes in (a form, a slash command, a CSV cell), made fit to store. Postgres refuses
 * NUL in `text` and `jsonb`, and `jsonb` refuses a lone surrogate half; the other C0 control
 * characters and DEL are never meant in a school's records (they come from pasted binary or a
 * broken export) and only confuse whoever reads them next. Tab and line feed are ordinary text;
 * a carriage return is a Windows line end, stored as a line feed.
 */

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const DEL = 0x7f;
const HIGH_FIRST = 0xd800;
const HIGH_LAST = 0xdbff;
const LOW_FIRST = 0xdc00;
const LOW_LAST = 0xdfff;

/** A character that cannot be stored, where it was found. */
export interface UnsafeCharacter {
  /** Index (UTF-16 code unit) in the text. */
  index: number;
  /** The code unit: a C0 control, DEL, or half of a surrogate pair without its other half. */
  code: number;
}

const isHigh = (c: number) => c >= HIGH_FIRST && c <= HIGH_LAST;
const isLow = (c: number) => c >= LOW_FIRST && c <= LOW_LAST;

/**
 * How many code units at `i` make a character that may be stored (1, or 2 for a surrogate pair),
 * or 0 when the code unit at `i` is one that may not.
 */
function storableLengthAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x20) return c === TAB || c === LF || c === CR ? 1 : 0;
  if (c === DEL || isLow(c)) return 0;
  if (isHigh(c)) return isLow(text.charCodeAt(i + 1)) ? 2 : 0;
  return 1;
}

/**
 * The first character `text` may not be stored with: a C0 control other than tab, line feed and
 * carriage return, DEL, or a lone surrogate. Undefined when there is none.
 */
export function findUnsafeCharacter(text: string): UnsafeCharacter | undefined {
  for (let i = 0; i < text.length; ) {
    const n = storableLengthAt(text, i);
    if (n === 0) return { index: i, code: text.charCodeAt(i) };
    i += n;
  }
  return undefined;
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** The character for a message, as a person could look it up: "a NUL character (U+0000)". */
export function describeUnsafeCharacter({ code }: Pick<UnsafeCharacter, 'code'>): string {
  if (code === 0) return `a NUL character (${hex(code)})`;
  if (code === DEL) return `a DEL character (${hex(code)})`;
  if (isHigh(code) || isLow(code)) return `a broken character (a lone surrogate, ${hex(code)})`;
  return `a control character (${hex(code)})`;
}

/**
 * What is wrong with `text`, for a message beside the field ("a NUL character (U+0000)"), or
 * undefined when it can be stored.
 */
export function unsafeCharacterIn(text: string): string | undefined {
  const found = findUnsafeCharacter(text);
  return found ? describeUnsafeCharacter(found) : undefined;
}

/** CRLF and a lone CR each become LF. */
export function normaliseLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * `text` fit to store: line ends normalised to LF, and every character findUnsafeCharacter
 * objects to removed. Text that needs nothing is returned as it is.
 */
export function cleanText(text: string): string {
  const normalised = normaliseLineEnds(text);
  const first = findUnsafeCharacter(normalised);
  if (!first) return normalised;
  let out = normalised.slice(0, first.index);
  for (let i = first.index; i < normalised.length; ) {
    const n = storableLengthAt(normalised, i);
    if (n > 0) out += normalised.slice(i, i + n);
    i += Math.max(n, 1);
  }
  return out;
}

/**
 * Cleans (cleanText) every string in a parsed payload — object values, array items and object
 * keys, however deep — changing the objects and arrays in place, so that everything already
 * holding a reference into the payload sees clean text. Returns `value`, or the cleaned string
 * when `value` itself is one.
 */
export function cleanStringsInPlace<T>(value: T): T {
  return cleanValue(value, new WeakSet()) as T;
}

function cleanValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanValue(value[i], seen);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const cleaned = cleanValue(record[key], seen);
    const cleanKey = cleanText(key);
    if (cleanKey !== key) delete record[key];
    // Defined, not assigned: a payload's own "__proto__" key must stay a plain property.
    Object.defineProperty(record, cleanKey, {
      value: cleaned,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return value;
}
