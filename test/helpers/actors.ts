import { sql } from 'drizzle-orm';
import type { Executor } from '../../src/server/db/client.ts';
import type { Actor } from '../../src/server/lib/policies.ts';
import type { Role } from '../../src/shared/roles.ts';

/**
 * A user as the services and the access core see them — an Actor with the grants in role_grants — found by e-mail
 * or id, for tests that call services or the record rules directly instead of through a session.
 */
export async function actorFromDb(db: Executor, by: { email: string } | { id: string }): Promise<Actor> {
  const where = 'email' in by ? sql`email = ${by.email}` : sql`id = ${by.id}`;
  const u = (await db.execute<{ id: string; name: string; email: string }>(sql`select id, name, email from users where ${where}`)).rows[0];
  if (!u) throw new Error(`no user ${JSON.stringify(by)}`);
  const grants = (await db.execute<{ organisation_id: string; role: Role; include_subtree: boolean }>(sql`select organisation_id, role, include_subtree from role_grants where user_id = ${u.id}`)).rows;
  return { id: u.id, name: u.name, email: u.email, sessionId: '', grants: grants.map((g) => ({ organisationId: g.organisation_id, role: g.role, includeSubtree: g.include_subtree })) };
}
