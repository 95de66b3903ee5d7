import { okResponse } from '../../../shared/schemas/common.ts';
import { me, type Me } from '../../../shared/schemas/users.ts';
import type { Action } from '../../../shared/roles.ts';
import { api, ApiError } from '../../api/client.ts';

export type { Me };

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

/** Does the user hold `action` anywhere (navigation of org-scoped pages)? */
export const holds = (m: Me | null | undefined, action: Action) => !!m?.actions.includes(action);
/** Does the user hold `action` on the municipality itself (system-wide pages)? */
export const holdsAtRoot = (m: Me | null | undefined, action: Action) => !!m?.rootActions.includes(action);
