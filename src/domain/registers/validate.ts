/** Field checks shared by the register commands; each returns a message for the field or nothing. */
import { isValid, parseISO } from 'date-fns';

export function checkText(value: string, label: string, max: number, required = false): string | undefined {
  const v = value.trim();
  if (required && v.length === 0) return `${label} is needed.`;
  if (v.length > max) return `${label} must be ${max} characters or fewer.`;
  return undefined;
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
