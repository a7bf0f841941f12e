/** Commands return expected failures as values; only faults (bugs, database down) are thrown. */

export type ErrorCode =
  | 'AUTH.FORBIDDEN'
  | 'VALIDATION'
  | 'SCHOOL.NOT_SET_UP'
  | 'SCHOOL.LAST_ADMIN'
  | 'PERSON.NOT_FOUND'
  | 'INCIDENT.NOT_FOUND'
  | 'INCIDENT.ALREADY_CLAIMED'
  | 'INCIDENT.ILLEGAL_TRANSITION'
  | 'REGISTER.NOT_FOUND'
  | 'IMPORT.NOT_FOUND'
  | 'IMPORT.REJECTED'
  | 'IMPORT.ALREADY_DONE';

export interface DomainError {
  code: ErrorCode;
  /** A short sentence for the person who asked, in plain words. */
  message: string;
  /** For VALIDATION: a message per input field, shown beside the field. */
  fields?: Record<string, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (
  code: ErrorCode,
  message: string,
  fields?: Record<string, string>,
): { ok: false; error: DomainError } => ({
  ok: false,
  error: fields ? { code, message, fields } : { code, message },
});

/** Thrown inside a transaction to roll it back and hand the error back as a value. */
export class DomainFailure extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
    this.name = 'DomainFailure';
  }
}
