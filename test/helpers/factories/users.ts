import type { Database } from '../../../src/server/db/client.ts';
import { DEMO_PASSWORD } from '../../../src/server/seed/seed.ts';
import { hashPassword } from '../../../src/server/modules/users/users.service.ts';
import { usersRepo } from '../../../src/server/modules/users/users.repo.ts';
import type { Role } from '../../../src/shared/roles.ts';
import type { TestApp } from '../app.ts';
import { unique } from './unique.ts';

let cachedHash: string | undefined;
/** A user with the given grants; password is the demo password. */
export async function createUser(
  database: Database,
  opts: { homeOrganisationId: string; grants?: { organisationId: string; role: Role; includeSubtree?: boolean }[]; email?: string; active?: boolean },
) {
  cachedHash ??= await hashPassword(DEMO_PASSWORD);
  const user = await usersRepo.insert(database.db, {
    email: opts.email ?? `user-${unique()}@test.example`,
    name: `Test Användare ${unique()}`,
    homeOrganisationId: opts.homeOrganisationId,
    passwordHash: cachedHash,
    active: opts.active ?? true,
  });
  for (const g of opts.grants ?? [])
    await usersRepo.insertGrant(database.db, { userId: user.id, organisationId: g.organisationId, role: g.role, includeSubtree: g.includeSubtree ?? false });
  return user;
}

/** Signs in through the API and returns the Cookie header value to send with later requests. */
export async function signIn(app: TestApp, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'trygg_session');
  if (!cookie) throw new Error('no session cookie');
  return `trygg_session=${cookie.value}`;
}
