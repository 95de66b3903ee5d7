import { ERROR_STATUS, type ErrorCode } from '../../shared/errors.ts';

/** The one error type of the application: a stable code (also the i18n key) and optional field details. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly fields?: { path: string; message: string }[],
    message?: string,
  ) {
    super(message ?? code);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (code: ErrorCode = 'NOT_FOUND') => new AppError(code);
