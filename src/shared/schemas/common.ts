import { z } from 'zod';
import { MAX_LIST_OFFSET, MAX_PERIOD_YEARS } from '../limits.ts';

/**
 * A string without NUL characters: PostgreSQL cannot store U+0000 in text (it raises 22021), so it is
 * refused here with a clear message instead of reaching the database.
 */
export const plainString = () =>
  z.string().refine((v) => !v.includes('\u0000'), { params: { i18n: 'validation.forbiddenCharacters' } });

/** Trimmed text with a length limit; empty after trimming is "missing". */
export const text = (max: number) => plainString().trim().min(1).max(max);
export const optionalText = (max: number) =>
  plainString()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
export const uuid = z.uuid();
export const idParams = z.object({ id: z.uuid() });
export const version = z.number().int().min(1).max(2_147_483_647);
export const isoDateTime = z.string();
export const email = plainString().trim().toLowerCase().max(254).pipe(z.email());

export { MAX_LIST_OFFSET, MAX_PERIOD_YEARS };
const MAX_PERIOD_MS = MAX_PERIOD_YEARS * 366 * 86_400_000;

/** `offset` of a list: 0 to MAX_LIST_OFFSET; deeper is refused with its own code (PAGE_TOO_DEEP). */
export const listOffset = z.coerce
  .number()
  .int()
  .min(0)
  .refine((v) => v <= MAX_LIST_OFFSET, { params: { code: 'PAGE_TOO_DEEP', i18n: 'validation.pageTooDeep' } })
  .default(0);

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: listOffset,
};

/** Refinement for a query with `from` and `to`: both given, at most MAX_PERIOD_YEARS apart (PERIOD_TOO_LONG). */
export const periodWithinLimit: [(q: { from?: string; to?: string }) => boolean, { params: Record<string, string>; path: string[] }] = [
  (q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= MAX_PERIOD_MS,
  { params: { code: 'PERIOD_TOO_LONG', i18n: 'validation.periodTooLong' }, path: ['to'] },
];

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export const okResponse = z.object({ ok: z.literal(true) });
