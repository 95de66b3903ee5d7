import { describe, expect, it } from 'vitest';
import { fieldErrorsFrom } from './form-errors.ts';

type Form = { pw: string; repeat: string; name: string };
const names = ['pw', 'repeat', 'name'] as const;

describe('fieldErrorsFrom (useForm: the API\'s fields[] on the form\'s inputs)', () => {
  it('matches the last path segment, renames through fieldMap, keeps the first message and drops unknown fields', () => {
    const errors = fieldErrorsFrom<Form>(
      [
        { path: 'body.newPassword', message: 'För kort lösenord.' },
        { path: 'name', message: 'Ange ett namn.' },
        { path: 'body.name', message: 'Andra meddelandet.' },
        { path: 'body.other', message: 'Okänt fält.' },
      ],
      names,
      { newPassword: 'pw' },
    );
    expect(errors).toEqual({ pw: 'För kort lösenord.', name: 'Ange ett namn.' });
  });

  it('gives nothing without field problems', () => {
    expect(fieldErrorsFrom<Form>([], names)).toEqual({});
  });
});
