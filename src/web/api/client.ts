import type { z } from 'zod';
import { errorResponse } from '../../shared/schemas/common.ts';
import i18n from '../i18n/index.ts';

export interface FieldProblem {
  path: string;
  message: string;
}

/** An error answer from the API: stable code, the server's (Swedish or English) message, field problems. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
  /** Message for one form field, matched on the last segment of the path (`body.name` → `name`). */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.path === name || f.path.endsWith(`.${name}`))?.message;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
}

/** Listeners told when the session is gone (401), so the app can send the user to the sign-in page. */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(fn: () => void) {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

export async function request<S extends z.ZodType>(method: Method, url: string, schema: S, opts: RequestOptions = {}): Promise<z.infer<S>> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const full = qs.size ? `${url}?${qs}` : url;
  let res: Response;
  try {
    res = await fetch(full, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'accept-language': i18n.language || 'sv',
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', i18n.t('common.networkError'));
  }
  const data: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  // Aborted while the body was arriving (the map moved on): the caller asked for that, it is no error.
  if (opts.signal?.aborted) throw new DOMException('The request was aborted.', 'AbortError');
  if (!res.ok) {
    const parsed = errorResponse.safeParse(data);
    const err = parsed.success
      ? new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.fields, parsed.data.error.requestId)
      : new ApiError(res.status, 'INTERNAL', i18n.t('common.unexpectedError'));
    if (res.status === 401 && !url.startsWith('/api/auth/sign-in')) for (const fn of unauthenticatedListeners) fn();
    throw err;
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    console.error('Unexpected response from', method, url, parsed.error.issues);
    throw new ApiError(res.status, 'INTERNAL', i18n.t('common.unexpectedError'));
  }
  return parsed.data;
}

export const api = {
  get: <S extends z.ZodType>(url: string, schema: S, query?: RequestOptions['query'], signal?: AbortSignal) =>
    request('GET', url, schema, { query, signal }),
  post: <S extends z.ZodType>(url: string, schema: S, body?: unknown) => request('POST', url, schema, { body: body ?? {} }),
  put: <S extends z.ZodType>(url: string, schema: S, body?: unknown) => request('PUT', url, schema, { body: body ?? {} }),
  patch: <S extends z.ZodType>(url: string, schema: S, body?: unknown) => request('PATCH', url, schema, { body: body ?? {} }),
  delete: <S extends z.ZodType>(url: string, schema: S) => request('DELETE', url, schema),
};

/** A file as multipart/form-data (field "file"); the answer is parsed like `request`. */
export async function upload<S extends z.ZodType>(url: string, schema: S, file: File | Blob, filename: string, query?: RequestOptions['query']): Promise<z.infer<S>> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const form = new FormData();
  form.append('file', file, filename);
  let res: Response;
  try {
    res = await fetch(qs.size ? `${url}?${qs}` : url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'accept-language': i18n.language || 'sv' },
      body: form,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('common.networkError'));
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = errorResponse.safeParse(data);
    if (res.status === 401) for (const fn of unauthenticatedListeners) fn();
    throw parsed.success
      ? new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.fields, parsed.data.error.requestId)
      : new ApiError(res.status, 'INTERNAL', i18n.t('common.unexpectedError'));
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ApiError(res.status, 'INTERNAL', i18n.t('common.unexpectedError'));
  return parsed.data;
}
