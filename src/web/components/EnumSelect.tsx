import type { SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField } from './Field.tsx';

/**
 * A select of a fixed list of values (a status, a kind …), each shown as the translation `${labelPrefix}.${value}`.
 * `emptyLabel` adds a first option with the value '' (e.g. "Alla" in a filter, "Välj" in a form).
 */
export function EnumSelect<V extends string>({
  values,
  labelPrefix,
  emptyLabel,
  ...field
}: {
  label: string;
  values: readonly V[];
  labelPrefix: string;
  emptyLabel?: string;
  error?: string;
  description?: string;
  required?: boolean;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'>) {
  const { t } = useTranslation();
  return (
    <SelectField {...field}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {values.map((v) => (
        <option key={v} value={v}>
          {t(`${labelPrefix}.${v}`)}
        </option>
      ))}
    </SelectField>
  );
}
