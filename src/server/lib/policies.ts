import type { FastifyRequest } from 'fastify';
import type { Action } from '../../shared/roles.ts';
import type { Principal } from '../../shared/access.ts';

export type { Grant } from '../../shared/access.ts';
export { OrgTree, roleAllows, can, canSomewhere, scopeOf, allowedActions } from '../../shared/access.ts';

/** The signed-in user as the server knows it: a principal (id and grants) with a name, e-mail and session. */
export interface Actor extends Principal {
  id: string;
  name: string;
  email: string;
  sessionId: string;
}

/**
 * Every route declares one of these in `config.policy`; app.ts refuses to start on a route without one.
 * - public: anyone, signed in or not (sign-in, health).
 * - authenticated: any signed-in user; the handler only touches the actor's own data.
 * - action: the actor must hold the action; with `org`, on the organisation the resolver returns for
 *   this request (undefined → the subject does not exist → 404); without `org`, somewhere, and the
 *   handler filters by scopeOf in SQL.
 */
export type Policy =
  | { public: true }
  | { authenticated: true }
  | {
      action: Action;
      /** 'root': the municipality itself (system-wide data such as the audit log). */
      org?: 'root' | ((req: FastifyRequest) => Promise<string | undefined> | string | undefined);
      /** Error code when the resolver finds nothing (default NOT_FOUND). */
      notFound?: import('../../shared/errors.ts').ErrorCode;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: Policy;
  }
}
