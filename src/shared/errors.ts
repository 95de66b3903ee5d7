/** Stable error codes: the API returns them, the UI translates them (i18n key errors.<CODE>). */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ORGANISATION_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  ROLE_GRANT_NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  ORGANISATION_CYCLE: 409,
  ORGANISATION_HAS_ACTIVE_CHILDREN: 409,
  ORGANISATION_INACTIVE: 409,
  EMAIL_TAKEN: 409,
  ROLE_ALREADY_GRANTED: 409,
  WRONG_PASSWORD: 400,
  TOKEN_INVALID: 400,
  WEAK_PASSWORD: 400,
  ACCOUNT_INACTIVE: 403,
  CANNOT_DEACTIVATE_SELF: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    requestId?: string;
    /** Field-level problems: path → message. */
    fields?: { path: string; message: string }[];
  };
}
