/**
 * The role × route matrix (issue #3, item 4): every registered route has a declared expectation for
 * every kind of principal, and the test proves it against the running app on a real database.
 *
 * The routes are declared per module in test/security/matrix/<module>.ts (listed in matrix/index.ts);
 * the harness, the principals and the rules (allow = 2xx; deny = 401 for anonymous on a non-public route,
 * 403/404 for a signed-in principal) are in test/security/matrix.ts.
 * - A registered route missing from every module's table fails the test: a new module declares its routes.
 * - A declared route that no longer exists fails too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { ctx, ids, matrixTests, send, setupMatrix, userIn, type Principal, type Request } from './matrix.ts';
import { MATRIX_TABLES } from './matrix/index.ts';

beforeAll(setupMatrix);
afterAll(() => ctx?.close());

describe('route matrix', () => {
  matrixTests(MATRIX_TABLES);
});

describe('cross-committee isolation (Socialnämnden vs Tekniska nämnden)', () => {
  const as = async (p: Principal, method: Request['method'], url: string, payload?: object) => send(p, { method, url, payload });
  const denied = (r: LightMyRequestResponse) => {
    expect([403, 404], r.body).toContain(r.statusCode);
    // Nothing of the subject leaks in the refusal.
    expect(Object.keys(r.json())).toEqual(['error']);
  };

  it("denies Socialnämnden's reporter and admin Tekniska nämnden's organisation", async () => {
    const tn = (await as('admin', 'GET', `/api/organisations/${ids.tn}`)).json();
    for (const p of ['reporter', 'committeeAdmin'] as const) {
      denied(await as(p, 'GET', `/api/organisations/${ids.tn}`));
      denied(await as(p, 'PATCH', `/api/organisations/${ids.tn}`, { version: tn.version, name: 'Kapad nämnd' }));
      denied(await as(p, 'POST', `/api/organisations/${ids.tn}/active`, { version: tn.version, active: false }));
      denied(await as(p, 'POST', `/api/organisations/${ids.tn}/move`, { version: tn.version, parentId: ids.son }));
    }
    const after = (await as('admin', 'GET', `/api/organisations/${ids.tn}`)).json();
    expect(after).toMatchObject({ name: 'Tekniska nämnden', version: tn.version, active: true, parentId: ids.lund });
  });

  it("denies Socialnämnden's admin Tekniska nämnden's users and their grants", async () => {
    const tnUser = (await as('admin', 'GET', '/api/users?q=rapportor.tn')).json().items[0];
    expect(tnUser.email).toBe('rapportor.tn@lund.example');
    const grant = tnUser.grants[0];
    denied(await as('committeeAdmin', 'GET', `/api/users/${tnUser.id}`));
    denied(await as('committeeAdmin', 'PATCH', `/api/users/${tnUser.id}`, { version: tnUser.version, name: 'Kapad' }));
    denied(await as('committeeAdmin', 'PATCH', `/api/users/${tnUser.id}`, { version: tnUser.version, active: false }));
    denied(await as('committeeAdmin', 'PATCH', `/api/users/${tnUser.id}`, { version: tnUser.version, homeOrganisationId: ids.son }));
    denied(await as('committeeAdmin', 'DELETE', `/api/users/${tnUser.id}/roles/${grant.id}`));
    denied(await as('committeeAdmin', 'POST', `/api/users/${tnUser.id}/roles`, { organisationId: ids.tn, role: 'admin' }));
    denied(await as('committeeAdmin', 'POST', `/api/users/${tnUser.id}/roles`, { organisationId: ids.son, role: 'reader' }));
    for (const p of ['reporter', 'officer', 'reader', 'partner'] as const) denied(await as(p, 'GET', `/api/users/${tnUser.id}`));

    const after = (await as('admin', 'GET', `/api/users/${tnUser.id}`)).json();
    expect(after).toMatchObject({ name: tnUser.name, version: tnUser.version, active: true, homeOrganisationId: ids.tn });
    expect(after.grants).toEqual(tnUser.grants);
  });

  it("leaves other committees' users out of the committee admin's list, filters included", async () => {
    const own = await userIn('son');
    const other = await userIn('tn');
    const list = async (query: string) => (await as('committeeAdmin', 'GET', `/api/users${query}`)).json();
    const everything = await list('?limit=500&includeInactive=true');
    const listed = everything.items.map((u: { id: string }) => u.id);
    expect(listed).toContain(own);
    expect(listed).not.toContain(other);
    // Every listed user lives in Socialnämnden's subtree; the total counts only those.
    const sonSubtree = new Set((await ctx.database.db.execute<{ id: string }>(sql`
      with recursive t as (select id from organisations where id = ${ids.son} union all select o.id from organisations o join t on o.parent_id = t.id)
      select id from t`)).rows.map((r) => r.id));
    expect(everything.items.every((u: { homeOrganisationId: string }) => sonSubtree.has(u.homeOrganisationId))).toBe(true);
    expect(everything.total).toBe(everything.items.length);
    const inScope = await ctx.database.db.execute<{ n: number }>(sql`
      with recursive t as (select id from organisations where id = ${ids.son} union all select o.id from organisations o join t on o.parent_id = t.id)
      select count(*)::int as n from users where home_organisation_id in (select id from t)`);
    expect(everything.total).toBe(inScope.rows[0].n);

    // Asking for the other committee explicitly, or searching for its user, gives nothing.
    expect((await list(`?organisationId=${ids.tn}`)).items).toEqual([]);
    expect((await list('?q=rapportor.tn')).total).toBe(0);
    // …while the municipality's admin sees both.
    const adminList = (await as('admin', 'GET', '/api/users?limit=500')).json().items.map((u: { id: string }) => u.id);
    expect(adminList).toEqual(expect.arrayContaining([own, other]));
  });

  it("a Socialnämnden reporter cannot list users at all, and a committee admin cannot read the municipality's log", async () => {
    denied(await as('reporter', 'GET', '/api/users'));
    denied(await as('committeeAdmin', 'GET', '/api/audit'));
    denied(await as('committeeAdmin', 'GET', '/api/admin/outbox'));
  });
});
