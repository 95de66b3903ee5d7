import type { FieldProblem } from '../api/client.ts';

export type FieldErrors<V> = Partial<Record<keyof V, string>>;

/**
 * The API's field problems (`fields[]`: path + message) as errors of a form's fields. A problem's field is the
 * last segment of its path (`body.newPassword` → `newPassword`), renamed by `fieldMap` where the form calls it
 * something else; the first problem of a field wins; problems on fields the form does not have are left to the
 * form's summary (ErrorMessage).
 */
export function fieldErrorsFrom<V>(fields: readonly FieldProblem[], names: readonly (keyof V)[], fieldMap: Partial<Record<string, keyof V>> = {}): FieldErrors<V> {
  const out: FieldErrors<V> = {};
  for (const f of fields) {
    const last = f.path.split('.').pop() ?? f.path;
    const name = fieldMap[last] ?? (names.includes(last as keyof V) ? (last as keyof V) : undefined);
    if (name !== undefined && out[name] === undefined) out[name] = f.message;
  }
  return out;
}
