import { z } from 'zod';
import { ACTIONS, ROLES } from '../roles.ts';
import { email, pageQuery, text, uuid, version } from './common.ts';

export const role = z.enum(ROLES);
export const MIN_PASSWORD = 12;
export const password = z.string().min(1).max(200);

export const roleGrant = z.object({
  id: uuid,
  userId: uuid,
  organisationId: uuid,
  organisationName: z.string(),
  role,
  includeSubtree: z.boolean(),
  createdAt: z.string(),
});
export type RoleGrant = z.infer<typeof roleGrant>;

export const userActions = ['users.manage', 'roles.grant'] as const;

export const user = z.object({
  id: uuid,
  email: z.string(),
  name: z.string(),
  homeOrganisationId: uuid,
  homeOrganisationName: z.string(),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  locale: z.enum(['sv', 'en']),
  version: z.number().int(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  grants: z.array(roleGrant),
  allowedActions: z.array(z.enum(userActions)),
});
export type User = z.infer<typeof user>;

export const userList = z.object({ items: z.array(user), total: z.number().int() });
export const userListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  organisationId: uuid.optional(),
  includeInactive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  ...pageQuery,
});

export const createUser = z.object({
  email,
  name: text(200),
  homeOrganisationId: uuid,
  /** Optional: without it the user gets an invitation e-mail with a link to set a password. */
  password: z.string().min(MIN_PASSWORD).max(200).optional(),
});
export type CreateUser = z.infer<typeof createUser>;

export const updateUser = z.object({
  version,
  name: text(200).optional(),
  email: email.optional(),
  homeOrganisationId: uuid.optional(),
  active: z.boolean().optional(),
});

export const grantRole = z.object({
  organisationId: uuid,
  role,
  includeSubtree: z.boolean().default(false),
});

export const signIn = z.object({ email: z.string().trim().max(254).min(1), password });
export const changePassword = z.object({
  currentPassword: password,
  newPassword: z.string().min(MIN_PASSWORD).max(200),
});
export const setPasswordWithToken = z.object({
  token: z.string().min(10).max(200),
  newPassword: z.string().min(MIN_PASSWORD).max(200),
});

export const me = z.object({
  user: z.object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    locale: z.enum(['sv', 'en']),
    mustChangePassword: z.boolean(),
    homeOrganisationId: uuid,
  }),
  grants: z.array(roleGrant),
  /** Actions the user holds somewhere: the UI uses them to show navigation. */
  actions: z.array(z.enum(ACTIONS)),
  /** Actions the user holds on the municipality itself: system-wide pages (audit log, outbox, jobs) need these. */
  rootActions: z.array(z.enum(ACTIONS)),
  sessionExpiresAt: z.string(),
});
export type Me = z.infer<typeof me>;

export const setLocale = z.object({ locale: z.enum(['sv', 'en']) });
