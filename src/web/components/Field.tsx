import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

interface Common {
  label: string;
  error?: string;
  description?: string;
  required?: boolean;
}

function Meta({ id, error, description }: { id: string; error?: string; description?: string }) {
  return (
    <>
      {description && (
        <p id={`${id}-desc`} className="field-desc">
          {description}
        </p>
      )}
      {error && (
        <p id={`${id}-err`} className="field-error">
          {error}
        </p>
      )}
    </>
  );
}

const describedBy = (id: string, error?: string, description?: string) =>
  [description ? `${id}-desc` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;

function RequiredMark({ required }: { required?: boolean }) {
  const { t } = useTranslation();
  if (!required) return null;
  return <span className="required"> {t('common.required')}</span>;
}

/** A labelled text input; the error is announced with the field (aria-describedby, aria-invalid). */
export function TextField({ label, error, description, required, id: givenId, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, description)}
        aria-required={required || undefined}
        {...input}
      />
      <Meta id={id} error={error} description={description} />
    </div>
  );
}

export function SelectField({
  label,
  error,
  description,
  required,
  children,
  id: givenId,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      <select id={id} aria-required={required || undefined} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, description)} {...select}>
        {children}
      </select>
      <Meta id={id} error={error} description={description} />
    </div>
  );
}

export function CheckboxField({ label, id: givenId, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

export function TextAreaField({ label, error, description, required, id: givenId, ...input }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      <textarea
        id={id}
        rows={3}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, description)}
        aria-required={required || undefined}
        {...input}
      />
      <Meta id={id} error={error} description={description} />
    </div>
  );
}

/** Checkboxes in a fieldset with a legend; the group's error is tied to the fieldset. */
export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  error,
  description,
  scroll,
}: {
  legend: string;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
  description?: string;
  scroll?: boolean;
}) {
  const id = useId();
  return (
    <fieldset className="fieldset" aria-describedby={describedBy(id, error, description)}>
      <legend>{legend}</legend>
      <Meta id={id} error={error} description={description} />
      <div className={scroll ? 'check-list scroll' : 'check-list'}>
        {options.map((o) => (
          <CheckboxField
            key={o.value}
            label={o.label}
            checked={value.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
          />
        ))}
      </div>
    </fieldset>
  );
}
