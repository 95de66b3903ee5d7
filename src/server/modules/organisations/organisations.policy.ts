import { orgFromParam } from '../../lib/http.ts';
import type { Policy } from '../../lib/policies.ts';

/** The organisation tree: reading and changing an organisation is checked on the organisation in `:id`. */
export const organisationPolicies = {
  list: { action: 'organisations.read' },
  read: { action: 'organisations.read', org: orgFromParam, notFound: 'ORGANISATION_NOT_FOUND' },
  create: { action: 'organisations.create' },
  update: { action: 'organisations.update', org: orgFromParam, notFound: 'ORGANISATION_NOT_FOUND' },
} as const satisfies Record<string, Policy>;
