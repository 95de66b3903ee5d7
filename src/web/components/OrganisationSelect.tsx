import type { SelectHTMLAttributes } from 'react';
import type { Action } from '../../shared/roles.ts';
import type { OrganisationT } from '../features/organisations/api.ts';
import { indent } from '../features/organisations/tree.ts';
import { useOrgs } from '../orgs.ts';
import { canOn } from '../permissions.ts';
import { useMe } from '../session.ts';
import { SelectField } from './Field.tsx';

/**
 * A select of the municipality's active organisations in tree order, indented by depth.
 * `action` offers only the organisations where the signed-in user may do it (the server's `can`, via canOn);
 * `keep` is always offered (the current value, so an edit does not lose it); `filter` narrows further.
 * `emptyLabel` adds a first option with the value ''.
 */
export function OrganisationSelect({
  action,
  keep,
  filter,
  emptyLabel,
  ...field
}: {
  label: string;
  action?: Action;
  keep?: string | null;
  filter?: (org: OrganisationT) => boolean;
  emptyLabel?: string;
  error?: string;
  description?: string;
  required?: boolean;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'>) {
  const me = useMe();
  const orgs = useOrgs();
  const options = orgs.ordered.filter(
    ({ org }) => org.id === keep || ((!action || canOn(me, action, org.id, orgs.index.byId)) && (!filter || filter(org))),
  );
  return (
    <SelectField {...field}>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {options.map(({ org, depth }) => (
        <option key={org.id} value={org.id}>
          {indent(depth)}
          {org.name}
        </option>
      ))}
    </SelectField>
  );
}
