import type { z } from 'zod';
import { createUser, grantRole, updateUser, user, userList } from '../../../shared/schemas/users.ts';
import { api } from '../../api/client.ts';

export type UserT = z.infer<typeof user>;
/** Request bodies as the server's schemas take them. */
export type UserInput = z.input<typeof createUser>;
export type UserUpdate = z.input<typeof updateUser>;
export type RoleGrantInput = z.input<typeof grantRole>;

export const users = {
  list: (q: { q?: string; includeInactive?: boolean; limit: number; offset: number }) => api.get('/api/users', userList, q),
  get: (id: string) => api.get(`/api/users/${id}`, user),
  create: (body: UserInput) => api.post('/api/users', user, body),
  update: (id: string, body: UserUpdate) => api.patch(`/api/users/${id}`, user, body),
  grant: (id: string, body: RoleGrantInput) => api.post(`/api/users/${id}/roles`, user, body),
  revoke: (id: string, grantId: string) => api.delete(`/api/users/${id}/roles/${grantId}`, user),
};
