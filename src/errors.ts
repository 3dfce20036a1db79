/**
 * Errors of the read models (src/library, src/status, src/export): what went wrong, in the domain's
 * words, with a stable `code`. They know nothing of HTTP; the API maps them to a status once
 * (`toApiError`, src/api/errors.ts), and the CLI prints their message.
 */

/** What was asked for does not exist (the API answers 404 with `code`, e.g. `unknown_playlist`). */
export class NotFoundError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The input cannot be used as given (the API answers 400 with `code`, e.g. `invalid_cursor`). */
export class InvalidInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
