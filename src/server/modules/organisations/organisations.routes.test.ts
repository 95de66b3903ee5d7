import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { sv } from '../../../shared/i18n/sv.ts';
import { organisationsRepo } from './organisations.repo.ts';
import { raceOnShortName } from './organisations.service.ts';
import { expectError } from '../../../../test/helpers/http.ts';

let ctx: TestContext;
let admin: string;
let reporter: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await signIn(ctx.app, 'admin@lund.example');
  reporter = await signIn(ctx.app, 'rapportor.son@lund.example');
});
afterAll(() => ctx?.close());

const req = (cookie: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  ctx.app.inject({ method, url, payload, headers: { cookie } });

describe('organisations', () => {
  it('lists the Lund tree for any signed-in user, with actions only where allowed', async () => {
    const res = await req(reporter, 'GET', '/api/organisations');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { name: string; parentId: string | null; allowedActions: string[] }[];
    expect(items.map((o) => o.name)).toContain('Lunds kommun');
    expect(items.map((o) => o.name)).toContain('Socialnämnden');
    expect(items.every((o) => o.allowedActions.length === 0)).toBe(true);
    const asAdmin = (await req(admin, 'GET', '/api/organisations')).json().items as { allowedActions: string[] }[];
    expect(asAdmin.every((o) => o.allowedActions.includes('organisations.update'))).toBe(true);
  });

  it('creates, edits, moves, deactivates and reactivates — with audit entries', async () => {
    const son = await orgId(ctx.database, 'son');
    const tn = await orgId(ctx.database, 'tn');
    const created = await req(admin, 'POST', '/api/organisations', { type: 'department', name: '  Socialförvaltningen ', parentId: son });
    expect(created.statusCode).toBe(201);
    const org = created.json();
    expect(org.name).toBe('Socialförvaltningen');

    const edited = await req(admin, 'PATCH', `/api/organisations/${org.id}`, { version: org.version, shortName: 'SOF', email: 'SOF@Lund.example' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ shortName: 'SOF', email: 'sof@lund.example', version: 2 });

    const stale = await req(admin, 'PATCH', `/api/organisations/${org.id}`, { version: 1, name: 'Krock' });
    expectError(stale, 409, 'VERSION_CONFLICT');

    const moved = await req(admin, 'POST', `/api/organisations/${org.id}/move`, { version: 2, parentId: tn });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().parentId).toBe(tn);

    const off = await req(admin, 'POST', `/api/organisations/${org.id}/active`, { version: 3, active: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    const hidden = (await req(admin, 'GET', '/api/organisations')).json().items.map((o: { id: string }) => o.id);
    expect(hidden).not.toContain(org.id);
    const shown = (await req(admin, 'GET', '/api/organisations?includeInactive=true')).json().items.map((o: { id: string }) => o.id);
    expect(shown).toContain(org.id);
    const on = await req(admin, 'POST', `/api/organisations/${org.id}/active`, { version: 4, active: true });
    expect(on.json().active).toBe(true);

    const audit = await req(admin, 'GET', `/api/audit?entityType=organisation&entityId=${org.id}`);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(['reactivate', 'deactivate', 'move', 'update', 'create']);
  });

  it('refuses cycles, deactivating a parent with active children, and missing parents — in Swedish', async () => {
    const lund = await orgId(ctx.database, 'lund');
    const ks = await orgId(ctx.database, 'ks');
    const kk = await orgId(ctx.database, 'kk');
    const ksRow = (await req(admin, 'GET', `/api/organisations/${ks}`)).json();
    const cycle = await req(admin, 'POST', `/api/organisations/${ks}/move`, { version: ksRow.version, parentId: kk });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().error).toMatchObject({ code: 'ORGANISATION_CYCLE' });
    expect(cycle.json().error.message).toMatch(/under sig själv/);

    const lundRow = (await req(admin, 'GET', `/api/organisations/${lund}`)).json();
    const busy = await req(admin, 'POST', `/api/organisations/${lund}/active`, { version: lundRow.version, active: false });
    expect(busy.json().error.code).toBe('ORGANISATION_HAS_ACTIVE_CHILDREN');

    const orphan = await req(admin, 'POST', '/api/organisations', { type: 'unit', name: 'X', parentId: '00000000-0000-4000-8000-000000000000' });
    expect(orphan.statusCode).toBe(400);
    // The field message is a Swedish sentence the form can show, not an error code.
    expect(orphan.json().error.fields).toEqual([{ path: 'parentId', message: 'Organisationen finns inte.' }]);

    const blank = await req(admin, 'POST', '/api/organisations', { type: 'unit', name: '   ', parentId: lund });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.fields[0]).toMatchObject({ path: 'body.name', message: 'Fältet måste fyllas i.' });
  });

  it('denies a reporter every change', async () => {
    const son = await orgId(ctx.database, 'son');
    const res = await req(reporter, 'POST', '/api/organisations', { type: 'unit', name: 'Egen enhet', parentId: son });
    expect(res.statusCode).toBe(403);
    const row = (await req(reporter, 'GET', `/api/organisations/${son}`)).json();
    const patch = await req(reporter, 'PATCH', `/api/organisations/${son}`, { version: row.version, name: 'Nytt namn' });
    expect(patch.statusCode).toBe(403);
  });
});

describe('short names', () => {
  // Short names key registry series (KS 2026/0001): two organisations may not share one, in any case.
  const names = async () => (await req(admin, 'GET', '/api/organisations?includeInactive=true')).json().items.map((o: { name: string }) => o.name) as string[];

  it('refuses to create an organisation with a taken short name, whatever its case — 409 with a Swedish field error', async () => {
    const son = await orgId(ctx.database, 'son');
    for (const shortName of ['KS', 'ks', ' Ks ', 'brå', 'BRÅ']) {
      const res = await req(admin, 'POST', '/api/organisations', { type: 'unit', name: `Kopia ${shortName}`, shortName, parentId: son });
      expect(res.statusCode, shortName).toBe(409);
      expect(res.json().error).toMatchObject({
        code: 'SHORT_NAME_TAKEN',
        message: sv.errors.SHORT_NAME_TAKEN,
        fields: [{ path: 'shortName', message: sv.errors.SHORT_NAME_TAKEN }],
      });
    }
    expect((await names()).filter((n) => n.startsWith('Kopia'))).toEqual([]);
    // No short name at all is fine, for any number of organisations.
    for (const name of ['Utan kortnamn 1', 'Utan kortnamn 2'])
      expect((await req(admin, 'POST', '/api/organisations', { type: 'unit', name, shortName: '', parentId: son })).statusCode).toBe(201);
  });

  it('refuses to give an organisation a short name another one has; keeping its own (in another case) is fine', async () => {
    const son = await orgId(ctx.database, 'son');
    const created = await req(admin, 'POST', '/api/organisations', { type: 'unit', name: 'Trygghetsrådet', shortName: 'TRR', parentId: son });
    expect(created.statusCode).toBe(201);
    const org = created.json();
    const taken = await req(admin, 'PATCH', `/api/organisations/${org.id}`, { version: org.version, shortName: 'ksau' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'SHORT_NAME_TAKEN', fields: [{ path: 'shortName' }] });
    const same = await req(admin, 'PATCH', `/api/organisations/${org.id}`, { version: org.version, shortName: 'trr' });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ shortName: 'trr', version: org.version + 1 });
  });

  it('the database itself refuses a second organisation with the same short name; the service answers such a race with 409', async () => {
    const lund = await orgId(ctx.database, 'lund');
    const err = await organisationsRepo.insert(ctx.database.db, { type: 'unit', name: 'Förbi kontrollen', shortName: 'Kf', parentId: lund }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    expect(() => raceOnShortName(err)).toThrow(expect.objectContaining({ code: 'SHORT_NAME_TAKEN' }));
    expect(await names()).not.toContain('Förbi kontrollen');
  });
});
