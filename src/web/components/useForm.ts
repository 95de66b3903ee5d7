import { useState, type ChangeEvent, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';

import { fieldErrorsFrom, type FieldErrors } from './form-errors.ts';

/** A form's values: text fields as strings; a group of checkboxes may hold a string array. */
type Values = Record<string, string | string[]>;

/**
 * One form's state: its values, an error per field (from the form's own checks or from the API's `fields[]`),
 * the error for the summary, and whether it is being sent. `validate` runs first: any message stops the send.
 * `submit` gets the values; on an ApiError its field problems are shown by their fields (`fieldMap` renames),
 * `mapError` may add more (e.g. a code that belongs to a field).
 */
export function useForm<V extends Values, R = unknown>(
  initial: V,
  opts: {
    validate?: (values: V) => FieldErrors<V>;
    submit: (values: V) => Promise<R>;
    onSuccess?: (result: R, values: V) => void;
    fieldMap?: Partial<Record<string, keyof V>>;
    mapError?: (err: ApiError) => FieldErrors<V>;
    /** Fields have the ids `${focusPrefix}${name}`: the first field with a problem gets the focus. */
    focusPrefix?: string;
  },
) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FieldErrors<V>>({});
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const names = Object.keys(initial) as (keyof V)[];

  const setValue = <K extends keyof V>(name: K, value: V[K]) => setValues((v) => ({ ...v, [name]: value }));
  /** onChange for an input, select or textarea bound to `name`. */
  const set = (name: keyof V) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    setValue(name, e.target.value as V[keyof V]);

  /** Runs the form's own checks and shows their messages; true when the form may be sent. */
  function check() {
    const local = opts.validate?.(values) ?? {};
    setErrors(local);
    focusFirst(local);
    return !Object.values(local).some(Boolean);
  }

  function focusFirst(problems: FieldErrors<V>) {
    if (opts.focusPrefix === undefined || typeof document === 'undefined') return;
    const first = names.find((n) => problems[n]);
    if (first !== undefined) document.getElementById(`${opts.focusPrefix}${String(first)}`)?.focus();
  }

  /** Sends the values (without checking again: for a confirmation step after `check`). */
  async function send() {
    setSubmitting(true);
    setError(null);
    try {
      const result = await opts.submit(values);
      opts.onSuccess?.(result, values);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const problems = { ...fieldErrorsFrom<V>(err.fields, names, opts.fieldMap), ...(opts.mapError?.(err) ?? {}) };
        setErrors(problems);
        focusFirst(problems);
      }
    } finally {
      setSubmitting(false);
    }
  }

  async function handleSubmit(e?: FormEvent) {
    e?.preventDefault();
    if (check()) await send();
  }

  return {
    values,
    set,
    setValue,
    /** Replaces several values at once (e.g. after reloading the record on a version conflict) and clears the error. */
    replace: (patch: Partial<V>) => {
      setValues((v) => ({ ...v, ...patch }));
      setError(null);
    },
    /** The message for one field, if any. */
    err: (name: keyof V) => errors[name],
    errors,
    error,
    submitting,
    check,
    send,
    handleSubmit,
    reset: (to: V = initial) => {
      setValues(to);
      setErrors({});
      setError(null);
    },
  };
}
