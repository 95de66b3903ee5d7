/**
 * Issue #10, items 2–4: secrecy markings on any record type (mark, unmark, audited), partner sharing (only
 * what is shared, only until the end date, revoked at once, comments, every view logged) and their bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { orgId, signIn } from '../../../../test/helpers/factories.ts';
import { api } from '../../../../test/helpers/http.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { createJobRunner } from '../../lib/job-runner.ts';

let ctx: TestContext;
let coordinator: string;
let reporter: string;
let reader: string;
let police: string;
let admin: string;
const ids: Record<string, string> = {};
const cats: Record<string, string> = {};

const { ok, fails } = api(() => ctx.app, { created: (method, url) => method === 'POST' && !url.endsWith('/revoke') && !url.endsWith('/unmark') });
const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
const inDays = (n: number) => {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const readLog = async (entityId: string) =>
  (await ctx.database.db.execute<{ action: string; actor_name: string; after: { how?: string } }>(sql`select action, actor_name, after from audit_log where entity_id = ${entityId} order by id`)).rows;

beforeAll(async () => {
  ctx = await createTestApp();
  coordinator = await signIn(ctx.app, 'samordnare@lund.example');
  reporter = await signIn(ctx.app, 'rapportor.son@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  police = await signIn(ctx.app, 'polisen@lund.example');
  admin = await signIn(ctx.app, 'admin@lund.example');
  for (const k of ['son', 'polisen', 'fm', 'tn']) ids[k] = await orgId(ctx.database, k);
  for (const c of (await ok<{ items: { id: string; key: string }[] }>(reporter, 'GET', '/api/incident-categories')).items) cats[c.key] = c.id;
});
afterAll(async () => {
  await ctx?.close();
});

const incident = (description: string) => ok(reporter, 'POST', '/api/incidents', { categoryId: cats.vandalism, description, organisationId: ids.son, place: 'Entrén' });

describe('partner sharing', () => {
  it('shares one incident with the police for a week: they see that and nothing else, comment on it, and lose it at once when revoked; every view is logged', async () => {
    const shared = await incident('Krossad ruta vid entrén, delas med polisen');
    const other = await incident('Klotter på gaveln, inte delat');
    // Before any share the police see nothing, and cannot open the incidents through the incident pages either.
    expect((await ok(police, 'GET', '/api/shared')).items).toEqual([]);
    await fails(police, 'GET', `/api/incidents/${shared.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');

    const s = await ok(coordinator, 'POST', '/api/shares', { recordType: 'incident', recordId: shared.id, partnerOrganisationId: ids.polisen, reason: 'Polisens utredning av skadegörelsen', endsOn: inDays(7) });
    expect(s).toMatchObject({ status: 'active', partnerOrganisation: { id: ids.polisen, name: 'Polismyndigheten' }, endsOn: inDays(7), createdBy: { name: 'Sam Samordnare' } });

    const list = await ok<{ items: { id: string; title: string }[] }>(police, 'GET', '/api/shared');
    expect(list.items.map((i) => i.id)).toEqual([s.id]);
    const view = await ok(police, 'GET', `/api/shared/${s.id}`);
    expect(view.sections[0].text).toBe('Krossad ruta vid entrén, delas med polisen');
    expect(JSON.stringify(view)).not.toContain('Klotter på gaveln');
    // The reporter is not part of what is shared.
    expect(JSON.stringify(view)).not.toContain('rapportor');
    // Still not through the incident pages, lists or statistics: only through the share.
    await fails(police, 'GET', `/api/incidents/${shared.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
    expect(JSON.stringify(await ok(police, 'GET', '/api/incidents'))).not.toContain(shared.id);
    await fails(police, 'GET', `/api/shared/${other.id}`, undefined, 404, 'SHARE_NOT_FOUND');

    await ok(police, 'POST', `/api/shared/${s.id}/comments`, { text: 'Anmälan upprättad, K-nummer följer.' });
    const seen = await ok(coordinator, 'GET', `/api/shares/${s.id}/comments`);
    expect(seen.items).toMatchObject([{ text: 'Anmälan upprättad, K-nummer följer.', author: { organisation: 'Polismyndigheten' } }]);
    expect((await ok(coordinator, 'GET', `/api/shares?recordType=incident&recordId=${shared.id}`)).items).toMatchObject([{ id: s.id, commentCount: 1 }]);
    expect((await ok(coordinator, 'GET', `/api/shares?partnerOrganisationId=${ids.polisen}`)).items.map((x: { id: string }) => x.id)).toContain(s.id);

    const revoked = await ok(coordinator, 'POST', `/api/shares/${s.id}/revoke`, { reason: 'Utredningen är klar', version: s.version });
    expect(revoked).toMatchObject({ status: 'revoked', revokeReason: 'Utredningen är klar', revokedBy: { name: 'Sam Samordnare' } });
    const ended = await fails(police, 'GET', `/api/shared/${s.id}`, undefined, 410, 'SHARE_ENDED');
    expect(ended.message).toContain('säkerhetssamordnare');
    await fails(police, 'POST', `/api/shared/${s.id}/comments`, { text: 'En till' }, 410, 'SHARE_ENDED');
    expect((await ok(police, 'GET', '/api/shared')).items).toEqual([]);

    // The read log: the police's view, in the audit chain, readable by administrators.
    const log = await readLog(shared.id);
    expect(log.filter((e) => e.action === 'read-secret' && e.after.how === 'shared-view').map((e) => e.actor_name)).toEqual(['Petra Polis']);
    const audit = await ok(admin, 'GET', `/api/audit?action=read-secret&entityId=${shared.id}`);
    expect(audit.total).toBe(1);
    expect((await readLog(s.id)).map((e) => e.action)).toEqual(['create', 'comment', 'revoke']);
  });

  it('ends after its end date without any job: the check is made when reading', async () => {
    const inc = await incident('Delas en dag');
    const s = await ok(coordinator, 'POST', '/api/shares', { recordType: 'incident', recordId: inc.id, partnerOrganisationId: ids.polisen, reason: 'Samverkan', endsOn: today() });
    await ok(police, 'GET', `/api/shared/${s.id}`);
    await ctx.database.db.execute(sql`update shares set ends_on = ${inDays(-1)}::date where id = ${s.id}`);
    await fails(police, 'GET', `/api/shared/${s.id}`, undefined, 410, 'SHARE_ENDED');
    expect((await ok(coordinator, 'GET', `/api/shares?recordId=${inc.id}`)).items[0].status).toBe('ended');
  });

  it('shares a case without its secret records, and only with the partner it names', async () => {
    const c = await ok(coordinator, 'POST', '/api/cases', { title: 'Samverkan kring trygghetsvandringar', caseType: 'Övrigt', registryOrganisationId: await orgId(ctx.database, 'ks'), organisationId: await orgId(ctx.database, 'ks') });
    await ok(coordinator, 'POST', `/api/cases/${c.id}/records`, { direction: 'incoming', recordDate: today(), title: 'Öppen skrivelse från BRÅ' });
    const secret = await ok(coordinator, 'POST', `/api/cases/${c.id}/records`, { direction: 'incoming', recordDate: today(), title: 'Hemlig riskbild' });
    await ok(coordinator, 'PUT', `/api/secrecy/record/${secret.id}`, { secrecyRef: '18 kap. 8 § OSL', reason: 'Uppgifter om säkerhetsåtgärder' }, 200);
    const s = await ok(coordinator, 'POST', '/api/shares', { recordType: 'case', recordId: c.id, partnerOrganisationId: ids.fm, reason: 'Totalförsvarsplanering', endsOn: inDays(30) });
    // Försvarsmakten is another partner: the police do not see it.
    await fails(police, 'GET', `/api/shared/${s.id}`, undefined, 404, 'SHARE_NOT_FOUND');
    const view = await ok(coordinator, 'GET', `/api/shares?recordId=${c.id}`);
    expect(view.items[0].recordTitle).toContain('Samverkan kring trygghetsvandringar');
  });

  it('shares a map extract: the open incidents of a box as they were when it was made, without secret ones or anything about the reporter', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const at = (lat: number, lon: number, description: string) =>
      ok(reporter, 'POST', '/api/incidents', { categoryId: cats.vandalism, description, organisationId: ids.son, place: 'Kartutsnittet', location: { lat, lon } });
    const inside = await at(55.7051, 13.1934, 'Sönderslagen busskur i utsnittet');
    const secret = await at(55.7061, 13.1944, 'Sekretessmarkerad händelse i utsnittet');
    await ok(coordinator, 'PUT', `/api/secrecy/incident/${secret.id}`, { secrecyRef: '18 kap. 8 § OSL', reason: 'Säkerhetsåtgärder' }, 200);
    await at(55.6, 13.0, 'Utanför utsnittet');
    const box = '13.19,55.70,13.20,55.71';
    // Making an extract is for those who share on the municipality's behalf.
    await fails(reader, 'POST', '/api/lagesbild/map-extracts', { title: 'Utsnitt', bbox: box }, 403, 'FORBIDDEN');
    await fails(coordinator, 'POST', '/api/lagesbild/map-extracts', { title: 'Utsnitt', bbox: '13.2,55.7,13.1,55.8' }, 400, 'VALIDATION_FAILED');
    await fails(coordinator, 'POST', '/api/lagesbild/map-extracts', { title: 'Utsnitt', bbox: box, categoryId: '00000000-0000-4000-8000-000000000000' }, 400, 'VALIDATION_FAILED');
    const m = await ok(coordinator, 'POST', '/api/lagesbild/map-extracts', { title: 'Skadegörelse vid Clemensplatsen', bbox: box, categoryId: cats.vandalism, from });
    expect(m.points).toEqual([expect.objectContaining({ lat: 55.7051, lon: 13.1934, categoryKey: 'vandalism' })]);
    expect(JSON.stringify(m)).not.toMatch(/Sönderslagen|Sekretessmarkerad|rapportor/);
    // Added later: not in the extract (it is a snapshot).
    await at(55.7055, 13.1938, 'Efter utsnittet');

    const s = await ok(coordinator, 'POST', '/api/shares', { recordType: 'map_extract', recordId: m.id, partnerOrganisationId: ids.polisen, reason: 'Gemensam lägesbild inför helgen', endsOn: inDays(7) });
    expect(s.recordTitle).toBe('Skadegörelse vid Clemensplatsen');
    expect((await ok(police, 'GET', '/api/shared')).items).toContainEqual(expect.objectContaining({ id: s.id, recordType: 'map_extract', title: 'Skadegörelse vid Clemensplatsen' }));
    const view = await ok(police, 'GET', `/api/shared/${s.id}`);
    expect(view.points).toEqual([{ lat: 55.7051, lon: 13.1934, label: expect.any(String) }]);
    expect(view.fields).toContainEqual({ key: 'incidentCount', value: '1' });
    expect(JSON.stringify(view)).not.toMatch(/Sönderslagen|Sekretessmarkerad|Efter utsnittet|rapportor/);
    // The police read it only through the share, not as a lägesbild reader.
    await fails(police, 'GET', `/api/lagesbild/map-extracts/${m.id}`, undefined, 403, 'FORBIDDEN');
    expect((await readLog(m.id)).filter((e) => e.action === 'read-secret')).toMatchObject([{ actor_name: expect.any(String), after: { how: 'shared-view' } }]);
    void inside;
  });

  it('refuses bad input in Swedish and changes nothing', async () => {
    const inc = await incident('För felaktiga delningar');
    const body = { recordType: 'incident', recordId: inc.id, partnerOrganisationId: ids.polisen, reason: 'Samverkan', endsOn: inDays(3) };
    await fails(coordinator, 'POST', '/api/shares', { ...body, endsOn: inDays(-1) }, 400, 'SHARE_END_IN_PAST');
    await fails(coordinator, 'POST', '/api/shares', { ...body, partnerOrganisationId: ids.tn }, 400, 'SHARE_PARTNER_INVALID');
    await fails(coordinator, 'POST', '/api/shares', { ...body, reason: '   ' }, 400, 'VALIDATION_FAILED');
    await fails(reporter, 'POST', '/api/shares', body, 403, 'FORBIDDEN');
    await fails(police, 'POST', '/api/shares', body, 403, 'FORBIDDEN');
    expect((await ok(coordinator, 'GET', `/api/shares?recordId=${inc.id}`)).items).toEqual([]);
    const s = await ok(coordinator, 'POST', '/api/shares', body);
    await ok(coordinator, 'POST', `/api/shares/${s.id}/revoke`, { reason: 'Fel mottagare', version: s.version });
    await fails(coordinator, 'POST', `/api/shares/${s.id}/revoke`, { reason: 'Igen', version: s.version + 1 }, 409, 'SHARE_ALREADY_REVOKED');
    await fails(police, 'POST', `/api/shares/${s.id}/revoke`, { reason: 'Vill inte', version: 2 }, 403, 'FORBIDDEN');
  });
});

describe('secrecy markings', () => {
  it('marks an incident secret with the OSL reference, who, when and why; readers lose it everywhere; unmarking needs a reason; both are audited', async () => {
    const inc = await incident('Uppgifter om larm och bevakning i stadshuset');
    expect(JSON.stringify(await ok(reader, 'GET', '/api/incidents?limit=500'))).toContain(inc.id);
    await fails(coordinator, 'PUT', `/api/secrecy/incident/${inc.id}`, { secrecyRef: ' ', reason: 'Säkerhetsåtgärder' }, 400, 'VALIDATION_FAILED');
    await fails(reader, 'PUT', `/api/secrecy/incident/${inc.id}`, { secrecyRef: '18 kap. 8 § OSL', reason: 'x' }, 404, 'INCIDENT_NOT_FOUND');
    const marked = await ok(coordinator, 'PUT', `/api/secrecy/incident/${inc.id}`, { secrecyRef: '18 kap. 8 § OSL', reason: 'Säkerhetsåtgärder' }, 200);
    expect(marked).toMatchObject({ secrecyRef: '18 kap. 8 § OSL', secrecyReason: 'Säkerhetsåtgärder', secrecyMarkedBy: { name: 'Sam Samordnare' } });
    expect(marked.secrecyMarkedAt).toBeTruthy();
    expect(JSON.stringify(await ok(reader, 'GET', '/api/incidents?limit=500'))).not.toContain(inc.id);
    await fails(reader, 'GET', `/api/incidents/${inc.id}`, undefined, 404, 'INCIDENT_NOT_FOUND');
    // The reporter still sees their own report.
    await ok(reporter, 'GET', `/api/incidents/${inc.id}`);
    await fails(coordinator, 'POST', `/api/secrecy/incident/${inc.id}/unmark`, { reason: '' }, 400, 'VALIDATION_FAILED');
    const unmarked = await ok(coordinator, 'POST', `/api/secrecy/incident/${inc.id}/unmark`, { reason: 'Ny bedömning: uppgifterna är offentliga' }, 200);
    expect(unmarked.secrecyRef).toBeNull();
    await fails(coordinator, 'POST', `/api/secrecy/incident/${inc.id}/unmark`, { reason: 'Igen' }, 409, 'SECRECY_NOT_MARKED');
    expect(JSON.stringify(await ok(reader, 'GET', '/api/incidents?limit=500'))).toContain(inc.id);
    const log = await readLog(inc.id);
    expect(log.filter((e) => e.action !== 'read-secret').map((e) => e.action)).toEqual(['create', 'secrecy-mark', 'secrecy-unmark']);
    expect(JSON.stringify(log.find((e) => e.action === 'secrecy-unmark')!.after)).toContain('Ny bedömning');
    // The reporter opened it while it was marked: that read is in the log.
    expect(log.filter((e) => e.action === 'read-secret').map((e) => [e.actor_name, e.after.how])).toEqual([['Rasmus Rapportör', 'open']]);
  });

  it('marks governing documents and lägesbild reports: the public list and readers no longer show them', async () => {
    const pub = await ok<{ items: { id: string; title: string }[] }>(reader, 'GET', '/api/public/documents');
    const doc = pub.items[0];
    await ok(coordinator, 'PUT', `/api/secrecy/document/${doc.id}`, { secrecyRef: '18 kap. 8 § OSL', reason: 'Säkerhetsskydd' }, 200);
    expect((await ok<{ items: { id: string }[] }>(reader, 'GET', '/api/public/documents')).items.map((d) => d.id)).not.toContain(doc.id);
    await fails(reader, 'GET', `/api/documents/${doc.id}`, undefined, 404, 'DOCUMENT_NOT_FOUND');
    // Those who may read it see the marking on the document (its badge) and their open and search are in the read log.
    expect((await ok(coordinator, 'GET', `/api/documents/${doc.id}`)).secrecyRef).toBe('18 kap. 8 § OSL');
    const found = await ok<{ items: { id: string; secrecyRef: string | null }[] }>(coordinator, 'GET', `/api/documents?q=${encodeURIComponent(doc.title)}`);
    expect(found.items.find((d) => d.id === doc.id)?.secrecyRef).toBe('18 kap. 8 § OSL');
    expect((await readLog(doc.id)).filter((e) => e.action === 'read-secret').map((e) => e.after.how)).toEqual(['open', 'search']);

    const rep = await ok(coordinator, 'POST', '/api/lagesbild/reports', { title: 'Lägesbild 2025', periodFrom: '2025-01-01', periodTo: '2025-12-31' });
    expect((await ok(reader, 'GET', '/api/lagesbild/reports')).items.map((r: { id: string }) => r.id)).toContain(rep.id);
    await ok(coordinator, 'PUT', `/api/secrecy/lagesbild_report/${rep.id}`, { secrecyRef: '18 kap. 13 § OSL', reason: 'Sårbarheter' }, 200);
    expect((await ok(reader, 'GET', '/api/lagesbild/reports')).items.map((r: { id: string }) => r.id)).not.toContain(rep.id);
    await fails(reader, 'GET', `/api/lagesbild/reports/${rep.id}`, undefined, 404, 'LAGESBILD_REPORT_NOT_FOUND');
    const opened = await ok(coordinator, 'GET', `/api/lagesbild/reports/${rep.id}`);
    expect(opened).toMatchObject({ secrecyRef: '18 kap. 13 § OSL', allowedActions: expect.arrayContaining(['secrecy']) });
    // Exporting it is a read too.
    await ok(coordinator, 'POST', '/api/exports', { kind: 'incidents.lagesbild-report', format: 'pdf', params: { reportId: rep.id } }, 202);
    await createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] }).runDue();
    expect((await readLog(rep.id)).filter((e) => e.action === 'read-secret').map((e) => e.after.how)).toEqual(['open', 'export']);
  });
});

describe('expiring shares', () => {
  it('are announced once to the coordinator who shared them, a few days before they end', async () => {
    const { announceExpiringShares } = await import('./shares.jobs.ts');
    const soon = await incident('Delas några dagar');
    const later = await incident('Delas länge');
    const s = await ok(coordinator, 'POST', '/api/shares', { recordType: 'incident', recordId: soon.id, partnerOrganisationId: ids.polisen, reason: 'Kort samverkan', endsOn: inDays(2) });
    await ok(coordinator, 'POST', '/api/shares', { recordType: 'incident', recordId: later.id, partnerOrganisationId: ids.polisen, reason: 'Lång samverkan', endsOn: inDays(30) });
    const mails = async () =>
      (await ctx.database.db.execute<{ to_address: string; subject: string }>(sql`
        select payload->>'to' as to_address, payload->>'subject' as subject from jobs where type = 'mail.send' and payload->>'subject' like 'Delningen med%' order by id`)).rows;
    const before = (await mails()).length;
    const first = await ctx.database.db.transaction((tx) => announceExpiringShares(tx, { publicUrl: 'http://localhost:3000', today: today() }));
    expect(first.announced).toBeGreaterThanOrEqual(1);
    const sent = (await mails()).slice(before);
    expect(sent.map((m) => m.to_address)).toContain('samordnare@lund.example');
    expect(sent.some((m) => m.subject === `Delningen med Polismyndigheten upphör ${inDays(2)}`)).toBe(true);
    expect(sent.some((m) => m.subject.includes(inDays(30)))).toBe(false);
    // Once per share.
    const again = await ctx.database.db.transaction((tx) => announceExpiringShares(tx, { publicUrl: 'http://localhost:3000', today: today() }));
    expect(again.announced).toBe(0);
    expect((await ctx.database.db.execute(sql`select expiry_notice_on from shares where id = ${s.id} and expiry_notice_on is not null`)).rows.length).toBe(1);
  });
});
