import type { z } from 'zod';
import {
  createOrganisation,
  moveOrganisation,
  organisation,
  organisationList,
  setOrganisationActive,
  updateOrganisation,
} from '../../../shared/schemas/organisations.ts';
import { api } from '../../api/client.ts';

export type OrganisationT = z.infer<typeof organisation>;
/** Request bodies as the server's schemas take them. */
export type OrganisationInput = z.input<typeof createOrganisation>;
export type OrganisationUpdate = z.input<typeof updateOrganisation>;

export const organisations = {
  list: (includeInactive: boolean) => api.get('/api/organisations', organisationList, { includeInactive }),
  create: (body: OrganisationInput) => api.post('/api/organisations', organisation, body),
  update: (id: string, body: OrganisationUpdate) => api.patch(`/api/organisations/${id}`, organisation, body),
  move: (id: string, version: number, parentId: string | null) =>
    api.post(`/api/organisations/${id}/move`, organisation, { version, parentId } satisfies z.input<typeof moveOrganisation>),
  setActive: (id: string, version: number, active: boolean) =>
    api.post(`/api/organisations/${id}/active`, organisation, { version, active } satisfies z.input<typeof setOrganisationActive>),
};
