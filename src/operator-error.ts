/**
 * A problem the operator fixes, said in plain words: the entry points (`npm start`, the command
 * line) print its message and exit 1, without a stack trace.
 */
export class OperatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorError';
  }
}
