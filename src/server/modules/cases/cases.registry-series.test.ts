import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api } from '../../../../test/helpers/http.ts';

/**
 * The municipality's own registry (issue #11 item 11): a case carries the number from the municipality's
 * registry system beside Trygg's, and REGISTRY_OWN_SERIES says which series Trygg numbers itself.
 */
let ctx: TestContext;
let registrar: string;
const ids: Record<string, string> = {};
const { ok, fails } = api(() => ctx.app, { created: (method) => method === 'POST' });
const newCase = (over: object = {}) => ({ registryOrganisationId: ids.ks, title: 'Trygghetsvandring', caseType: 'Uppdrag', organisationId: ids['kk-ts'], ...over });

beforeAll(async () => {
  // Trygg numbers only KSAU's series; KS's numbers come from the municipality's registry system.
  ctx = await createTestApp({ env: { REGISTRY_OWN_SERIES: 'ksau' } });
  for (const k of ['ks', 'ksau', 'kk-ts']) ids[k] = await orgId(ctx.database, k);
  registrar = await signIn(ctx.app, 'registrator@lund.example');
});
afterAll(() => ctx?.close());

describe("the municipality's own registry", () => {
  it('a series Trygg does not number needs the number from the registry system; nothing is registered without it', async () => {
    const before = (await ok(registrar, 'GET', '/api/cases?limit=10')).total;
    const e = await fails(registrar, 'POST', '/api/cases', newCase(), 400, 'VALIDATION_FAILED');
    expect(e.fields?.[0]).toMatchObject({ path: expect.stringContaining('registryNumber'), message: 'Diarienumren i den här serien sätts i kommunens diariesystem. Ange ärendets diarienummer därifrån.' });
    expect((await ok(registrar, 'GET', '/api/cases?limit=10')).total).toBe(before);
    const c = await ok(registrar, 'POST', '/api/cases', newCase({ registryNumber: 'KS 2026/0412' }));
    expect(c.registryNumber).toBe('KS 2026/0412');
    // KSAU is Trygg's own series: the next free number.
    const own = await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: ids.ksau }));
    expect(own.registryNumber).toMatch(/^KSAU \d{4}\/\d{4}$/);
  });

  it("the registry system's number is kept beside Trygg's, shown and searchable, and can be corrected", async () => {
    const c = await ok(registrar, 'POST', '/api/cases', newCase({ registryOrganisationId: ids.ksau, externalRegistryNumber: 'LK-2026-7731' }));
    expect(c).toMatchObject({ externalRegistryNumber: 'LK-2026-7731' });
    expect((await ok(registrar, 'GET', `/api/cases/${c.id}`)).externalRegistryNumber).toBe('LK-2026-7731');
    const found = await ok(registrar, 'GET', '/api/cases?q=LK-2026-7731');
    expect(found.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const fixed = await ok(registrar, 'PATCH', `/api/cases/${c.id}`, { version: c.version, externalRegistryNumber: 'LK-2026-7732' });
    expect(fixed.externalRegistryNumber).toBe('LK-2026-7732');
    await fails(registrar, 'PATCH', `/api/cases/${c.id}`, { version: fixed.version, externalRegistryNumber: 'x'.repeat(61) }, 400, 'VALIDATION_FAILED');
  });
});
