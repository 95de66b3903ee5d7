import type { FastifyRequest } from 'fastify';
import type { Policy } from '../../lib/policies.ts';
import type { UserService } from './users.service.ts';

/** Sign-in and the session's own account. */
export const sessionPolicies = {
  signIn: { public: true },
  /** Setting a password with an e-mailed token (the token is the credential). */
  withToken: { public: true },
  own: { authenticated: true },
} as const satisfies Record<string, Policy>;

/**
 * Users and role grants: a user is checked on their home organisation, a new grant on the organisation it
 * is for, a grant being removed on the organisation it was for.
 */
export function userPolicies(users: Pick<UserService, 'homeOrgOf' | 'orgOfGrant'>) {
  const userHomeOrg = (req: FastifyRequest) => users.homeOrgOf((req.params as { id: string }).id);
  return {
    list: { action: 'users.read' },
    read: { action: 'users.read', org: userHomeOrg, notFound: 'USER_NOT_FOUND' },
    create: { action: 'users.manage' },
    update: { action: 'users.manage', org: userHomeOrg, notFound: 'USER_NOT_FOUND' },
    grant: { action: 'roles.grant', org: (req: FastifyRequest) => (req.body as { organisationId: string }).organisationId, notFound: 'ORGANISATION_NOT_FOUND' },
    revoke: { action: 'roles.grant', org: (req: FastifyRequest) => users.orgOfGrant((req.params as { grantId: string }).grantId), notFound: 'ROLE_GRANT_NOT_FOUND' },
  } as const satisfies Record<string, Policy>;
}
