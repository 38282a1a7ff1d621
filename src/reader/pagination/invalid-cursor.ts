/**
 * A connection cursor the reader cannot resume from: edited, another tenant's, made for another
 * filter or order, or expired upstream. It is the client's input (the `after` argument); the
 * GraphQL layer reports it as BAD_USER_INPUT on that field.
 */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  /** The argument that carried the cursor. */
  readonly field = 'after';
}
