/** Field checks shared by the register commands; each returns a message for the field or nothing. */
import { isValid, parseISO } from 'date-fns';
import { fail } from '../result';
import { unsafeCharacterIn } from '../text';

/**
 * Free text a person typed: refused when it holds a character that cannot be stored (a NUL or other
 * control character; see text.ts), when it is needed and blank, or when it is longer than `max`.
 */
export function checkText(value: string, label: string, max: number, required = false): string | undefined {
  const unsafe = checkStorable(value, label);
  if (unsafe) return unsafe;
  const v = value.trim();
  if (required && v.length === 0) return `${label} is needed.`;
  if (v.length > max) return `${label} must be ${max} characters or fewer.`;
  return undefined;
}

/**
 * A message when `value` holds a character that cannot be stored (a NUL, another control character
 * other than tab and line breaks, DEL, a lone surrogate), else nothing. For any text a command
 * stores that does not go through checkText.
 */
export function checkStorable(value: string, label: string): string | undefined {
  const unsafe = unsafeCharacterIn(value);
  return unsafe ? `${label} has ${unsafe} that cannot be saved: remove it.` : undefined;
}

export function checkDate(value: string | null, label: string): string | undefined {
  if (value === null) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !isValid(parseISO(value))) return `${label} must be a date.`;
  return undefined;
}

/** The largest value the database's integer columns hold. */
export const MAX_STORED_NUMBER = 2_147_483_647;

export function checkCount(value: number | null, label: string, required = false): string | undefined {
  if (value === null) return required ? `${label} is needed.` : undefined;
  if (!Number.isSafeInteger(value) || value < 0) return `${label} must be a whole number, 0 or more.`;
  if (value > MAX_STORED_NUMBER) return `${label} is too large.`;
  return undefined;
}

export function checkPence(value: number | null, label: string): string | undefined {
  if (value === null) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) return `${label} must be an amount of money, 0 or more.`;
  if (value > MAX_STORED_NUMBER) return `${label} is too large.`;
  return undefined;
}

/** Collects the messages that are set into a field map. */
export function fieldsOf(checks: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(checks).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * A VALIDATION failure naming, beside its field, each text that holds a character that cannot be
 * stored; nothing when all can be. For commands whose texts are checked one by one elsewhere.
 */
export function refuseUnstorable(
  texts: Record<string, string | undefined>,
  label = 'This',
): ReturnType<typeof fail> | undefined {
  const fields: Record<string, string> = {};
  for (const [field, value] of Object.entries(texts)) {
    const problem = value === undefined ? undefined : checkStorable(value, label);
    if (problem) fields[field] = problem;
  }
  return Object.keys(fields).length > 0
    ? fail('VALIDATION', 'Remove the character that cannot be saved.', fields)
    : undefined;
}
