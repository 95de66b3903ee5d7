import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createOrganisation, createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { sv } from '../../../shared/i18n/sv.ts';
import { expectError } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let admin: string;
let sonAdmin: string;
let sonAdminId: string;
let coordinator: string;
const org: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestApp();
  for (const key of ['lund', 'son', 'tn', 'kk-ts']) org[key] = await orgId(ctx.database, key);
  admin = await signIn(ctx.app, 'admin@lund.example');
  sonAdmin = await signIn(ctx.app, 'admin.son@lund.example');
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  sonAdminId = (await ctx.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: sonAdmin } })).json().user.id;
});
afterAll(() => ctx?.close());

const inject = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  ctx.app.inject({ method, url, payload, headers: { cookie } });

async function audit(entityId: string) {
  const res = await inject(admin, 'GET', `/api/audit?entityType=user&entityId=${entityId}`);
  return res.json().items as { action: string; actorId: string | null; before: unknown; after: unknown }[];
}

describe('creating and editing users', () => {
  it('creates a user with a start password, edits and refuses conflicts — audited without the password hash', async () => {
    const email = `Ny.Person.${Date.now()}@Lund.example`;
    const res = await inject(sonAdmin, 'POST', '/api/users', { email, name: '  Ny Person ', homeOrganisationId: org.son, password: 'Startlösenord-2026' });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'Ny Person', homeOrganisationId: org.son, mustChangePassword: true, version: 1 });
    expect(user.allowedActions.sort()).toEqual(['roles.grant', 'users.manage']);
    expect(Object.keys(user)).not.toContain('passwordHash');

    const dup = await inject(admin, 'POST', '/api/users', { email: email.toUpperCase(), name: 'Dubblett', homeOrganisationId: org.son });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'EMAIL_TAKEN', message: sv.errors.EMAIL_TAKEN });

    const renamed = await inject(sonAdmin, 'PATCH', `/api/users/${user.id}`, { version: 1, name: 'Nytt Namn' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Nytt Namn', version: 2 });
    const stale = await inject(sonAdmin, 'PATCH', `/api/users/${user.id}`, { version: 1, name: 'Krock' });
    expectError(stale, 409, 'VERSION_CONFLICT');

    const entries = await audit(user.id);
    expect(entries.map((e) => e.action)).toEqual(['update', 'create']);
    expect(entries.every((e) => e.actorId === sonAdminId)).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/argon2|passwordHash|Startlösenord/);
    expect(entries[0].before).toMatchObject({ name: 'Ny Person' });
    expect(entries[0].after).toMatchObject({ name: 'Nytt Namn' });

    // The new user must change the start password: signing in works and says so.
    const cookie = await signIn(ctx.app, email, 'Startlösenord-2026');
    expect((await inject(cookie, 'GET', '/api/auth/me')).json().user.mustChangePassword).toBe(true);
  });

  it('validates input field by field, in Swedish', async () => {
    const res = await inject(admin, 'POST', '/api/users', { email: 'inte-en-adress', name: '   ', homeOrganisationId: 'x', password: 'kort' });
    expect(res.statusCode).toBe(400);
    const fields = Object.fromEntries((res.json().error.fields as { path: string; message: string }[]).map((f) => [f.path, f.message]));
    expect(fields).toMatchObject({
      'body.email': sv.validation.email,
      'body.name': sv.validation.required,
      'body.homeOrganisationId': sv.validation.uuid,
      'body.password': 'Texten är för kort (minst 12 tecken).',
    });
    const missing = await inject(admin, 'POST', '/api/users', { email: 'ok@test.example', name: 'Ok', homeOrganisationId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual([{ path: 'homeOrganisationId', message: sv.errors.ORGANISATION_NOT_FOUND }]);
    const unknown = await inject(admin, 'GET', '/api/users/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'USER_NOT_FOUND', message: sv.errors.USER_NOT_FOUND });
  });

  it("a committee admin cannot create users elsewhere or move their own users out of the committee", async () => {
    const elsewhere = await inject(sonAdmin, 'POST', '/api/users', { email: `x${Date.now()}@test.example`, name: 'X', homeOrganisationId: org.tn });
    expect(elsewhere.statusCode).toBe(403);
    const own = await createUser(ctx.database, { homeOrganisationId: org.son });
    const move = await inject(sonAdmin, 'PATCH', `/api/users/${own.id}`, { version: 1, homeOrganisationId: org.tn });
    expect(move.statusCode).toBe(403);
    const unit = await createOrganisation(ctx.database, { parentId: org.son });
    const within = await inject(sonAdmin, 'PATCH', `/api/users/${own.id}`, { version: 1, homeOrganisationId: unit.id });
    expect(within.statusCode).toBe(200);
    expect(within.json().homeOrganisationId).toBe(unit.id);
  });
});

describe('listing users', () => {
  it('filters by scope in SQL, by organisation and by text; inactive only on request', async () => {
    const inactive = await createUser(ctx.database, { homeOrganisationId: org.son, active: false });
    const tnUser = await createUser(ctx.database, { homeOrganisationId: org.tn });
    const list = async (cookie: string, q = '') => (await inject(cookie, 'GET', `/api/users?limit=500${q}`)).json() as { items: { id: string; homeOrganisationId: string; allowedActions: string[] }[]; total: number };

    const bySon = await list(sonAdmin);
    expect(bySon.items.map((u) => u.id)).not.toContain(tnUser.id);
    expect(bySon.items.map((u) => u.id)).not.toContain(inactive.id);
    expect((await list(sonAdmin, '&includeInactive=true')).items.map((u) => u.id)).toContain(inactive.id);
    expect(bySon.items.every((u) => u.allowedActions.includes('users.manage'))).toBe(true);

    const byCoordinator = await list(coordinator);
    expect(byCoordinator.items.map((u) => u.id)).toContain(tnUser.id);
    // A coordinator reads users but manages none.
    expect(byCoordinator.items.every((u) => u.allowedActions.length === 0)).toBe(true);

    const onlyTn = await list(admin, `&organisationId=${org.tn}`);
    expect(onlyTn.items.length).toBeGreaterThan(0);
    expect(onlyTn.items.every((u) => u.homeOrganisationId === org.tn)).toBe(true);
    const search = await list(admin, '&q=STINA');
    expect(search.items.map((u) => (u as unknown as { email: string }).email)).toEqual(['admin.son@lund.example']);
    // Wildcards in the search are text, not patterns.
    expect((await list(admin, '&q=%25')).total).toBe(0);

    const page = await inject(admin, 'GET', '/api/users?limit=2&offset=1');
    expect(page.json().items).toHaveLength(2);
    expect(page.json().total).toBeGreaterThan(2);
  });
});

describe('granting and revoking roles', () => {
  it('a committee admin grants and revokes within the committee — audited', async () => {
    const user = await createUser(ctx.database, { homeOrganisationId: org.son });
    const unit = await createOrganisation(ctx.database, { parentId: org.son });
    const granted = await inject(sonAdmin, 'POST', `/api/users/${user.id}/roles`, { organisationId: unit.id, role: 'officer', includeSubtree: true });
    expect(granted.statusCode).toBe(200);
    const grant = granted.json().grants.find((g: { organisationId: string }) => g.organisationId === unit.id);
    expect(grant).toMatchObject({ role: 'officer', includeSubtree: true });

    const twice = await inject(sonAdmin, 'POST', `/api/users/${user.id}/roles`, { organisationId: unit.id, role: 'officer' });
    expectError(twice, 409, 'ROLE_ALREADY_GRANTED');

    // The grant takes effect at the user's next request.
    const cookie = await signIn(ctx.app, user.email);
    expect((await inject(cookie, 'GET', `/api/organisations/${unit.id}`)).statusCode).toBe(200);

    const revoked = await inject(sonAdmin, 'DELETE', `/api/users/${user.id}/roles/${grant.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().grants).toEqual([]);
    expect((await inject(cookie, 'GET', `/api/organisations/${unit.id}`)).statusCode).toBe(403);
    const again = await inject(sonAdmin, 'DELETE', `/api/users/${user.id}/roles/${grant.id}`);
    expectError(again, 404, 'ROLE_GRANT_NOT_FOUND');

    const entries = await audit(user.id);
    expect(entries.map((e) => e.action)).toEqual(['revoke-role', 'grant-role']);
    expect(entries[1].after).toEqual({ organisationId: unit.id, role: 'officer', includeSubtree: true });
    expect(entries[0].before).toEqual({ organisationId: unit.id, role: 'officer', includeSubtree: true });
  });

  it('refuses escalation: no grants outside the own subtree, none above it, none to oneself beyond scope', async () => {
    const user = await createUser(ctx.database, { homeOrganisationId: org.son });
    const tries = [
      { organisationId: org.tn, role: 'admin' }, // another committee
      { organisationId: org.lund, role: 'reader' }, // the municipality itself
      { organisationId: org.lund, role: 'admin', includeSubtree: true }, // everything
      { organisationId: org['kk-ts'], role: 'coordinator' },
    ];
    for (const body of tries) {
      const res = await inject(sonAdmin, 'POST', `/api/users/${user.id}/roles`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(403);
      const self = await inject(sonAdmin, 'POST', `/api/users/${sonAdminId}/roles`, body);
      expect(self.statusCode, `self ${JSON.stringify(body)}`).toBe(403);
    }
    const grants = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from role_grants where user_id in (${user.id}, ${sonAdminId})`);
    expect(grants.rows[0].n).toBe(1); // the committee admin's own seeded grant only

    // A coordinator reads users but may not grant anything.
    const byCoordinator = await inject(coordinator, 'POST', `/api/users/${user.id}/roles`, { organisationId: org.son, role: 'reader' });
    expect(byCoordinator.statusCode).toBe(403);

    // The committee admin cannot take away the municipality admin's rights either.
    const adminUser = (await inject(admin, 'GET', '/api/users?q=admin@lund.example')).json().items[0];
    const res = await inject(sonAdmin, 'DELETE', `/api/users/${adminUser.id}/roles/${adminUser.grants[0].id}`);
    expect([403, 404]).toContain(res.statusCode);
  });

  it('an admin with a grant that is not on a subtree cannot grant on the organisations below it', async () => {
    const unit = await createOrganisation(ctx.database, { parentId: org.son });
    const narrow = await createUser(ctx.database, { homeOrganisationId: org.son, grants: [{ organisationId: org.son, role: 'admin', includeSubtree: false }] });
    const cookie = await signIn(ctx.app, narrow.email);
    const target = await createUser(ctx.database, { homeOrganisationId: org.son });
    expect((await inject(cookie, 'POST', `/api/users/${target.id}/roles`, { organisationId: org.son, role: 'reader' })).statusCode).toBe(200);
    // A subtree grant needs rights on every organisation in the subtree.
    expect((await inject(cookie, 'POST', `/api/users/${target.id}/roles`, { organisationId: org.son, role: 'officer', includeSubtree: true })).statusCode).toBe(403);
    expect((await inject(cookie, 'POST', `/api/users/${target.id}/roles`, { organisationId: unit.id, role: 'reader' })).statusCode).toBe(403);
  });

  it('a grant on a deactivated organisation, or on one that does not exist, is refused', async () => {
    const user = await createUser(ctx.database, { homeOrganisationId: org.son });
    const unit = await createOrganisation(ctx.database, { parentId: org.son });
    expect((await inject(admin, 'POST', `/api/organisations/${unit.id}/active`, { version: 1, active: false })).statusCode).toBe(200);
    const inactive = await inject(admin, 'POST', `/api/users/${user.id}/roles`, { organisationId: unit.id, role: 'reader' });
    expectError(inactive, 409, 'ORGANISATION_INACTIVE');
    const missing = await inject(admin, 'POST', `/api/users/${user.id}/roles`, { organisationId: '00000000-0000-4000-8000-000000000000', role: 'reader' });
    expectError(missing, 404, 'ORGANISATION_NOT_FOUND');
    const badRole = await inject(admin, 'POST', `/api/users/${user.id}/roles`, { organisationId: org.son, role: 'superuser' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.fields).toEqual([{ path: 'body.role', message: sv.validation.enum }]);
  });
});

describe('deactivating users', () => {
  const deactivate = (cookie: string, user: { id: string; version: number }) => inject(cookie, 'PATCH', `/api/users/${user.id}`, { version: user.version, active: false });

  it("a committee admin cannot deactivate a user of the committee who holds a role outside it — nothing changes", async () => {
    const user = await createUser(ctx.database, {
      homeOrganisationId: org.son,
      grants: [
        { organisationId: org.son, role: 'reporter' },
        { organisationId: org.tn, role: 'reader' },
      ],
    });
    const session = await signIn(ctx.app, user.email);
    const res = await deactivate(sonAdmin, user);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'USER_HAS_GRANTS_OUTSIDE_SCOPE', message: sv.errors.USER_HAS_GRANTS_OUTSIDE_SCOPE });
    expect((await inject(admin, 'GET', `/api/users/${user.id}`)).json()).toMatchObject({ active: true, version: user.version });
    expect((await inject(session, 'GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await audit(user.id)).map((a) => a.action)).not.toContain('deactivate');
    // Other edits of the committee's own user still work, and the municipality's admin may deactivate.
    const renamed = await inject(sonAdmin, 'PATCH', `/api/users/${user.id}`, { version: user.version, name: 'Nytt Namn' });
    expect(renamed.statusCode).toBe(200);
    const off = await deactivate(admin, renamed.json());
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);
  });

  it('a grant whose subtree reaches outside counts as outside', async () => {
    const user = await createUser(ctx.database, { homeOrganisationId: org.son, grants: [{ organisationId: org.lund, role: 'reader', includeSubtree: true }] });
    const res = await deactivate(sonAdmin, user);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('USER_HAS_GRANTS_OUTSIDE_SCOPE');
  });

  it('grants within the committee and its subtree are inside: the committee admin deactivates', async () => {
    const unit = await createOrganisation(ctx.database, { parentId: org.son });
    const user = await createUser(ctx.database, {
      homeOrganisationId: org.son,
      grants: [
        { organisationId: org.son, role: 'coordinator', includeSubtree: true },
        { organisationId: unit.id, role: 'reporter' },
      ],
    });
    const res = await deactivate(sonAdmin, user);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().active).toBe(false);
  });
});
