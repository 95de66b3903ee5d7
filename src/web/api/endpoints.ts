import { z } from 'zod';
import { okResponse } from '../../shared/schemas/common.ts';
import { me, user, userList, type Me } from '../../shared/schemas/users.ts';
import { organisation, organisationList } from '../../shared/schemas/organisations.ts';
import { auditList, auditVerify } from '../../shared/schemas/audit.ts';
import { jobList, outboxList } from '../../shared/schemas/admin.ts';
import type { Action, Role, OrganisationType } from '../../shared/roles.ts';
import { api, ApiError } from './client.ts';

export type { Me };
export type UserT = z.infer<typeof user>;
export type OrganisationT = z.infer<typeof organisation>;

/** The signed-in user, or null when nobody is signed in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get('/api/auth/me', me);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export const auth = {
  signIn: (email: string, password: string) => api.post('/api/auth/sign-in', me, { email, password }),
  signOut: () => api.post('/api/auth/sign-out', okResponse),
  changePassword: (currentPassword: string, newPassword: string) => api.post('/api/auth/password', okResponse, { currentPassword, newPassword }),
  setPassword: (token: string, newPassword: string) => api.post('/api/auth/set-password', okResponse, { token, newPassword }),
  setLocale: (locale: 'sv' | 'en') => api.put('/api/auth/locale', okResponse, { locale }),
};

export const organisations = {
  list: (includeInactive: boolean) => api.get('/api/organisations', organisationList, { includeInactive }),
  create: (body: { type: OrganisationType; name: string; shortName?: string | null; email?: string | null; parentId: string | null }) =>
    api.post('/api/organisations', organisation, body),
  update: (id: string, body: { version: number; type?: OrganisationType; name?: string; shortName?: string | null; email?: string | null }) =>
    api.patch(`/api/organisations/${id}`, organisation, body),
  move: (id: string, version: number, parentId: string | null) => api.post(`/api/organisations/${id}/move`, organisation, { version, parentId }),
  setActive: (id: string, version: number, active: boolean) => api.post(`/api/organisations/${id}/active`, organisation, { version, active }),
};

export const users = {
  list: (q: { q?: string; includeInactive?: boolean; limit: number; offset: number }) => api.get('/api/users', userList, q),
  get: (id: string) => api.get(`/api/users/${id}`, user),
  create: (body: { email: string; name: string; homeOrganisationId: string; password?: string }) => api.post('/api/users', user, body),
  update: (id: string, body: { version: number; name?: string; email?: string; homeOrganisationId?: string; active?: boolean }) =>
    api.patch(`/api/users/${id}`, user, body),
  grant: (id: string, body: { organisationId: string; role: Role; includeSubtree: boolean }) => api.post(`/api/users/${id}/roles`, user, body),
  revoke: (id: string, grantId: string) => api.delete(`/api/users/${id}/roles/${grantId}`, user),
};

export const audit = {
  list: (q: { entityType?: string; action?: string; actorId?: string; from?: string; to?: string; limit: number; offset: number }) =>
    api.get('/api/audit', auditList, q),
  verify: () => api.get('/api/audit/verify', auditVerify),
};

export const admin = {
  outbox: (q: { limit: number; offset: number }) => api.get('/api/admin/outbox', outboxList, q),
  jobs: (q: { status?: string; limit: number; offset: number }) => api.get('/api/admin/jobs', jobList, q),
};

/** Does the user hold `action` anywhere (navigation of org-scoped pages)? */
export const holds = (m: Me | null | undefined, action: Action) => !!m?.actions.includes(action);
/** Does the user hold `action` on the municipality itself (system-wide pages)? */
export const holdsAtRoot = (m: Me | null | undefined, action: Action) => !!m?.rootActions.includes(action);
