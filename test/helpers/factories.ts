import { sql } from 'drizzle-orm';
import type { Database } from '../../src/server/db/client.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/seed.ts';
import { hashPassword } from '../../src/server/modules/users/users.service.ts';
import { organisationsRepo } from '../../src/server/modules/organisations/organisations.repo.ts';
import { usersRepo } from '../../src/server/modules/users/users.repo.ts';
import type { Role } from '../../src/shared/roles.ts';
import type { TestApp } from './app.ts';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** The id of a seeded organisation by its key in lund-organisations.json ("son", "tn", …). */
export async function orgId(database: Database, key: string): Promise<string> {
  const res = await database.db.execute<{ id: string }>(sql`select id from organisations where key = ${key}`);
  if (!res.rows[0]) throw new Error(`no organisation with key ${key}`);
  return res.rows[0].id;
}

export async function createOrganisation(database: Database, values: { name?: string; type?: string; parentId?: string | null } = {}) {
  return organisationsRepo.insert(database.db, {
    name: values.name ?? `Testenhet ${unique()}`,
    type: values.type ?? 'unit',
    parentId: values.parentId ?? null,
  });
}

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

/**
 * A registered case (and optionally a decision in it), written straight to the database through the
 * cases module's own numbering: for tests of the parts built on cases (decisions, remiss, dispatch).
 */
export async function createCase(
  database: Database,
  values: { series?: string; registryOrg?: string; org?: string; title?: string; officerId?: string | null; secrecyRef?: string | null; concernsChildren?: boolean | null } = {},
) {
  const { nextCaseSeq, formatRegistryNumber } = await import('../../src/server/modules/cases/cases.core.ts');
  const { cases } = await import('../../src/server/db/schema/index.ts');
  const registryOrganisationId = await orgId(database, values.registryOrg ?? 'ks');
  const organisationId = await orgId(database, values.org ?? 'kk-ts');
  const series = values.series ?? 'KS';
  const year = new Date().getUTCFullYear();
  return database.db.transaction(async (tx) => {
    const seq = await nextCaseSeq(tx, series, year);
    const [row] = await tx
      .insert(cases)
      .values({
        series,
        year,
        seq,
        registryNumber: formatRegistryNumber(series, year, seq),
        title: values.title ?? `Testärende ${unique()}`,
        caseType: 'ärende',
        registryOrganisationId,
        organisationId,
        officerId: values.officerId ?? null,
        registeredOn: new Date().toISOString().slice(0, 10),
        concernsChildren: values.concernsChildren === undefined ? true : values.concernsChildren,
        childAssessment: values.concernsChildren === null ? null : 'Ärendet berör barn indirekt.',
        secrecyRef: values.secrecyRef ?? null,
      })
      .returning();
    return row;
  });
}
