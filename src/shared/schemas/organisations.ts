import { z } from 'zod';
import { ORGANISATION_TYPES } from '../roles.ts';
import { email, optionalText, text, uuid, version } from './common.ts';

export const organisationType = z.enum(ORGANISATION_TYPES);
export const organisationActions = ['organisations.update', 'organisations.create'] as const;

export const organisation = z.object({
  id: uuid,
  key: z.string().nullable(),
  type: organisationType,
  name: z.string(),
  shortName: z.string().nullable(),
  email: z.string().nullable(),
  parentId: uuid.nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the signed-in user may do with this organisation. */
  allowedActions: z.array(z.enum(organisationActions)),
});
export type Organisation = z.infer<typeof organisation>;

export const organisationList = z.object({ items: z.array(organisation) });

export const createOrganisation = z.object({
  type: organisationType,
  name: text(200),
  shortName: optionalText(40),
  email: email.nullable().optional(),
  parentId: uuid.nullable(),
});
export type CreateOrganisation = z.infer<typeof createOrganisation>;

export const updateOrganisation = z.object({
  version,
  type: organisationType.optional(),
  name: text(200).optional(),
  shortName: optionalText(40),
  email: email.nullable().optional(),
});
export type UpdateOrganisation = z.infer<typeof updateOrganisation>;

export const moveOrganisation = z.object({ version, parentId: uuid.nullable() });
export const setOrganisationActive = z.object({ version, active: z.boolean() });

export const organisationListQuery = z.object({
  includeInactive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
