import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import JSZip from 'jszip';
import { createTestApp, type TestContext } from '../../../../test/helpers/app.ts';
import { createCase, createUser, orgId, signIn } from '../../../../test/helpers/factories.ts';
import { silentLog } from '../../../../test/helpers/jobs.ts';
import { multipartForm, PDF } from '../../../../test/helpers/multipart.ts';
import { officeFile } from '../../../../test/helpers/office.ts';
import { startSmtpServer } from '../../../../test/helpers/smtp.ts';
import { verifyAuditChain } from '../../lib/audit.ts';
import { todayInStockholm } from '../../lib/time.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import type { RemissRound } from '../../../shared/schemas/remiss.ts';
import { seedRemissDemo } from './cases.remiss.seed.ts';

const PUBLIC_URL = 'https://trygg.lund.example';
let ctx: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let officer: string;
let reader: string;
let partner: string;
const ids: Record<string, string> = {};

const runJobs = () => createJobRunner({ db: ctx.database.db, config: ctx.config, log: silentLog, handlers: ctx.app.contributions.jobHandlers, recurring: [] }).runDue();
const inject = (opts: { method: 'GET' | 'POST' | 'DELETE'; url: string; cookie?: string; payload?: object | Buffer; headers?: Record<string, string> }) =>
  ctx.app.inject({ method: opts.method, url: opts.url, payload: opts.payload, headers: { ...opts.headers, ...(opts.cookie ? { cookie: opts.cookie } : {}) } });
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const tokenIn = (text: string) => new RegExp(`${PUBLIC_URL}/remissvar/([A-Za-z0-9_-]+)`).exec(text)?.[1];

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL, MAIL_FROM: 'Trygg <noreply@lund.example>' } });
  officer = await signIn(ctx.app, 'handlaggare@lund.example');
  reader = await signIn(ctx.app, 'lasare@lund.example');
  partner = await signIn(ctx.app, 'polisen@lund.example');
  for (const k of ['son', 'tn', 'polisen', 'rssyd', 'bsn', 'kraftringen', 'fm']) ids[k] = await orgId(ctx.database, k);
});
afterAll(async () => {
  await ctx?.close();
  await smtp?.close();
});

/** A fresh case sent on remiss to Socialnämnden, Tekniska nämnden, Polisen and Räddningstjänsten Syd. */
async function sendRound(opts: { replyBy?: string; title?: string } = {}) {
  const c = await createCase(ctx.database, { title: opts.title ?? 'Program för trygghet och säkerhet' });
  const replyBy = opts.replyBy ?? inDays(30);
  const res = await inject({
    method: 'POST',
    url: `/api/cases/${c.id}/remiss-rounds`,
    cookie: officer,
    payload: {
      title: 'Förslag till program för trygghet och säkerhet',
      letter: 'Kommunstyrelsen sänder förslaget på remiss. Synpunkter på fokusområdena är särskilt välkomna.',
      recipients: [
        { organisationId: ids.son, replyBy },
        { organisationId: ids.tn, replyBy },
        { organisationId: ids.polisen, replyBy },
        { organisationId: ids.rssyd, replyBy, email: 'registrator@rssyd.example' },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const round = res.json() as RemissRound & { issuedLinks: { recipientId: string; organisationName: string; url: string }[] };
  const recipient = (key: string) => round.recipients.find((r) => r.organisationId === ids[key])!;
  const token = (key: string) => tokenIn(round.issuedLinks.find((l) => l.recipientId === recipient(key).id)!.url)!;
  return { case: c, round, recipient, token };
}

const publicReply = (token: string, fields: Record<string, string>, file?: { filename: string; data: Buffer; contentType?: string }) =>
  inject({ method: 'POST', url: `/api/remissvar/${token}`, ...multipartForm(fields, file) });
const officerReply = (recipientId: string, fields: Record<string, string>, cookie = officer, file?: { filename: string; data: Buffer }) =>
  inject({ method: 'POST', url: `/api/remiss-recipients/${recipientId}/reply`, cookie, ...multipartForm(fields, file) });
const errorCode = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;

describe('sending a case on remiss', () => {
  it('sends to internal and external recipients, mails each one, and gives external ones a personal link that works', async () => {
    const { case: c, round, token } = await sendRound();
    expect(round.status).toBe('open');
    expect(round.counts).toEqual({ total: 4, answered: 0, outstanding: 4, overdue: 0 });
    const byKey = Object.fromEntries(['son', 'tn', 'polisen', 'rssyd'].map((k) => [k, round.recipients.find((r) => r.organisationId === ids[k])!]));
    expect(byKey.son).toMatchObject({ channel: 'internal', external: false, email: 'son@lund.example', link: null });
    expect(byKey.polisen).toMatchObject({ channel: 'link', external: true, email: 'polisen@lund.example', link: { state: 'active' } });
    expect(byKey.rssyd).toMatchObject({ channel: 'link', email: 'registrator@rssyd.example' });
    expect(round.issuedLinks.map((l) => l.organisationName).sort()).toEqual(['Polismyndigheten', 'Räddningstjänsten Syd']);
    // The letter as sent is an outgoing record in the case.
    const records = await ctx.database.db.execute<{ direction: string; title: string; counterpart: string }>(sql`select direction, title, counterpart from case_records where case_id = ${c.id}`);
    expect(records.rows).toEqual([expect.objectContaining({ direction: 'outgoing', title: 'Remiss: Förslag till program för trygghet och säkerhet' })]);
    expect(round.letterRecordNumber).toBe(`${c.registryNumber}-1`);

    // The link is stored only as a hash.
    const stored = await ctx.database.db.execute<{ token_hash: string }>(sql`select token_hash from remiss_links`);
    expect(stored.rows.map((r) => r.token_hash)).not.toContain(token('polisen'));

    const before = smtp.messages.length;
    await runJobs();
    const mails = smtp.messages.slice(before);
    const police = mails.find((m) => m.to.includes('polisen@lund.example'))!;
    expect(police.subject).toContain('Remiss: Förslag till program för trygghet och säkerhet');
    expect(police.text).toContain('Kommunstyrelsen sänder förslaget på remiss');
    const mailed = tokenIn(police.text)!;
    expect(mailed).toBe(token('polisen'));
    expect(mails.find((m) => m.to.includes('registrator@rssyd.example'))).toBeTruthy();
    const son = mails.find((m) => m.to.includes('son@lund.example'))!;
    expect(son.text).toContain(`${PUBLIC_URL}/remisser`);
    expect(tokenIn(son.text)).toBeUndefined();

    // The link in the mail opens the remiss: its letter and the recipient's own name, nothing else.
    const view = await inject({ method: 'GET', url: `/api/remissvar/${mailed}` });
    expect(view.statusCode, view.body).toBe(200);
    expect(Object.keys(view.json()).sort()).toEqual(['expiresAt', 'letter', 'letterFile', 'recipientName', 'replyBy', 'title']);
    expect(view.json()).toMatchObject({ recipientName: 'Polismyndigheten', title: 'Förslag till program för trygghet och säkerhet', letterFile: null });
    expect(view.body).not.toContain(c.registryNumber);
    expect(view.body).not.toContain('Räddningstjänsten');
    // Expires the configured 14 days after the reply date.
    expect(view.json().expiresAt.slice(0, 10)).toBe(inDays(44));

    // …and takes the reply once, with a PDF, as an incoming record in the case.
    const answered = await publicReply(mailed, { kind: 'reply', text: 'Polisen ser positivt på förslaget och vill delta i samverkan kring fokusområde 2.' }, { filename: 'Yttrande Polisen.pdf', data: PDF });
    expect(answered.statusCode, answered.body).toBe(201);
    expect(answered.json()).toEqual({ receivedOn: expect.any(String), recipientName: 'Polismyndigheten' });
    const reused = await publicReply(mailed, { kind: 'no_objection' });
    expect(reused.statusCode).toBe(409);
    expect(errorCode(reused)).toBe('REMISS_LINK_USED');
    expect(reused.json().error.message).toMatch(/redan använts/);
    expect((await inject({ method: 'GET', url: `/api/remissvar/${mailed}` })).statusCode).toBe(409);

    const incoming = await ctx.database.db.execute<{ seq: number; title: string; counterpart: string; filename: string; content_type: string; size: number; sha256: string }>(sql`
      select r.seq, r.title, r.counterpart, f.filename, f.content_type, f.size, f.sha256 from case_records r join case_record_files f on f.record_id = r.id
      where r.case_id = ${c.id} and r.direction = 'incoming'`);
    expect(incoming.rows).toEqual([
      expect.objectContaining({ seq: 2, title: 'Remissvar från Polismyndigheten', counterpart: 'Polismyndigheten', filename: 'Yttrande Polisen.pdf', content_type: 'application/pdf', size: PDF.length }),
    ]);
    const list = (await inject({ method: 'GET', url: `/api/cases/${c.id}/remiss-rounds`, cookie: officer })).json();
    const police2 = list.items[0].recipients.find((r: { organisationId: string }) => r.organisationId === ids.polisen);
    expect(police2).toMatchObject({ status: 'answered', link: { state: 'used' }, reply: { kind: 'reply', via: 'link', recordNumber: `${c.registryNumber}-2`, file: { filename: 'Yttrande Polisen.pdf' } } });
    expect(list.items[0].counts).toEqual({ total: 4, answered: 1, outstanding: 3, overdue: 0 });
    const file = await inject({ method: 'GET', url: `/api/remiss-recipients/${police2.id}/reply-file`, cookie: reader });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(PDF)).toBe(true);
    expect((await inject({ method: 'GET', url: `/api/remiss-recipients/${police2.id}/reply-file`, cookie: partner })).statusCode).toBe(403);
    expect((await verifyAuditChain(ctx.database.db)).ok).toBe(true);
  });

  it('refuses a wrong, expired or revoked link with a clear Swedish message, and a re-issued link works', async () => {
    const { round, recipient, token } = await sendRound();
    for (const bad of ['x'.repeat(43), 'kort', '%27%20or%201=1']) {
      const res = await inject({ method: 'GET', url: `/api/remissvar/${bad}` });
      expect(res.statusCode, bad).toBe(404);
      expect(errorCode(res)).toBe('REMISS_LINK_INVALID');
    }
    expect(errorCode(await publicReply('y'.repeat(43), { kind: 'no_objection' }))).toBe('REMISS_LINK_INVALID');

    // Expired.
    const rssyd = token('rssyd');
    await ctx.database.db.execute(sql`update remiss_links set expires_at = now() - interval '1 minute' where recipient_id = ${recipient('rssyd').id}`);
    const expired = await publicReply(rssyd, { kind: 'no_objection' });
    expect(expired.statusCode).toBe(410);
    expect(errorCode(expired)).toBe('REMISS_LINK_EXPIRED');
    expect(expired.json().error.message).toBe('Länken har gått ut. Kontakta handläggaren för att få en ny länk.');

    // Revoked by the handläggare; a new one is issued and mailed; the old one stays dead.
    const police = recipient('polisen');
    const old = token('polisen');
    const revoked = await inject({ method: 'DELETE', url: `/api/remiss-recipients/${police.id}/link`, cookie: officer });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().round.recipients.find((r: { id: string }) => r.id === police.id).link.state).toBe('revoked');
    expect(errorCode(await inject({ method: 'GET', url: `/api/remissvar/${old}` }))).toBe('REMISS_LINK_REVOKED');
    const before = smtp.messages.length;
    const reissued = await inject({ method: 'POST', url: `/api/remiss-recipients/${police.id}/link`, cookie: officer });
    expect(reissued.statusCode, reissued.body).toBe(200);
    await runJobs();
    const mail = smtp.messages.slice(before).find((m) => m.to.includes('polisen@lund.example') && m.subject.startsWith('Ny svarslänk'))!;
    expect(mail.text).toContain('Tidigare länkar gäller inte längre');
    const fresh = tokenIn(mail.text)!;
    expect(fresh).toBe(tokenIn(reissued.json().issuedLink.url));
    expect((await inject({ method: 'GET', url: `/api/remissvar/${fresh}` })).statusCode).toBe(200);
    expect((await publicReply(old, { kind: 'no_objection' })).statusCode).toBe(410);
    expect((await publicReply(fresh, { kind: 'no_objection' })).statusCode).toBe(201);

    // Internal recipients have no link; others may not touch the links.
    expect(errorCode(await inject({ method: 'POST', url: `/api/remiss-recipients/${recipient('son').id}/link`, cookie: officer }))).toBe('REMISS_NOT_LINK_RECIPIENT');
    expect((await inject({ method: 'POST', url: `/api/remiss-recipients/${recipient('rssyd').id}/link`, cookie: reader })).statusCode).toBe(403);
    expect(round.recipients).toHaveLength(4);
  });

  it('accepts only PDF or Word up to 10 MB on the public form, and loses nothing when it refuses', async () => {
    const { recipient, token } = await sendRound();
    const t = token('polisen');
    const disguised = await publicReply(t, { kind: 'reply', text: 'Se bilaga' }, { filename: 'yttrande.pdf', data: Buffer.from('MZ\x90\x00 detta är ett program'), contentType: 'application/pdf' });
    expect(disguised.statusCode).toBe(415);
    expect(errorCode(disguised)).toBe('FILE_TYPE_NOT_ALLOWED');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
    expect((await publicReply(t, { kind: 'reply', text: 'Se bilaga' }, { filename: 'bild.pdf', data: png })).statusCode).toBe(415);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await publicReply(t, { kind: 'reply', text: 'Se bilaga' }, { filename: 'stor.pdf', data: big });
    expect(tooBig.statusCode).toBe(413);
    const invalid = await publicReply(t, { kind: 'decision', text: 'Beslut' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['decidedOn', 'paragraph']);
    expect((await publicReply(t, { kind: 'maybe' })).statusCode).toBe(400);
    expect((await inject({ method: 'POST', url: `/api/remissvar/${t}`, payload: { kind: 'no_objection' } })).statusCode).toBe(415);
    // A macro-enabled Word file is refused before anything is recorded.
    const docm = await publicReply(t, { kind: 'no_objection' }, { filename: 'Svar.docx', data: await officeFile('docm') });
    expect(docm.statusCode).toBe(415);
    expect(errorCode(docm)).toBe('FILE_MACRO_NOT_ALLOWED');
    // Nothing was used up or recorded: the link still works, with a Word file.
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<Types/>');
    zip.file('word/document.xml', '<w:document/>');
    const docx = await zip.generateAsync({ type: 'nodebuffer' });
    const ok = await publicReply(t, { kind: 'decision', decidingBody: 'Lokalpolisområde Lund', decidedOn: '2019-05-13', paragraph: '12', text: 'Polisen tillstyrker förslaget.' }, { filename: 'Beslut.docx', data: docx });
    expect(ok.statusCode, ok.body).toBe(201);
    const rows = await ctx.database.db.execute<{ kind: string; deciding_body: string; paragraph: number; content_type: string }>(sql`
      select y.kind, y.deciding_body, y.paragraph, f.content_type from remiss_replies y join case_record_files f on f.record_id = y.record_id where y.recipient_id = ${recipient('polisen').id}`);
    expect(rows.rows).toEqual([{ kind: 'decision', deciding_body: 'Lokalpolisområde Lund', paragraph: 12, content_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }]);
  });
});

describe('recording replies', () => {
  it('lets the handläggare record each kind of reply, and refuses a second reply and a reply after the round closed', async () => {
    const { case: c, round, recipient, token } = await sendRound();
    const son = await officerReply(recipient('son').id, { kind: 'decision', receivedOn: '2026-01-12', decidedOn: '2026-01-10', paragraph: '4', text: 'Socialnämnden tillstyrker förslaget med följande synpunkter: våld i nära relationer bör lyftas fram.' });
    expect(son.statusCode, son.body).toBe(201);
    const tn = await officerReply(recipient('tn').id, { kind: 'no_objection', receivedOn: '2026-01-15' });
    expect(tn.statusCode, tn.body).toBe(201);
    const updated = tn.json().round as RemissRound;
    expect(updated.counts).toMatchObject({ answered: 2, outstanding: 2 });
    expect(updated.recipients.find((r) => r.id === recipient('son').id)!.reply).toMatchObject({ kind: 'decision', decidingBody: 'Socialnämnden', decidedOn: '2026-01-10', paragraph: 4, via: 'registered', receivedOn: '2026-01-12' });
    const titles = await ctx.database.db.execute<{ title: string; record_date: string }>(sql`select title, record_date::text from case_records where case_id = ${c.id} and direction = 'incoming' order by seq`);
    expect(titles.rows).toEqual([
      { title: 'Remissvar från Socialnämnden: Socialnämnden 2026-01-10 § 4', record_date: '2026-01-12' },
      { title: 'Remissvar från Tekniska nämnden: inget att erinra', record_date: '2026-01-15' },
    ]);

    const again = await officerReply(recipient('son').id, { kind: 'no_objection' });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('REMISS_ALREADY_ANSWERED');
    expect(errorCode(await officerReply(recipient('tn').id, { kind: 'reply' }))).toBe('VALIDATION_FAILED');
    expect((await officerReply(recipient('polisen').id, { kind: 'no_objection', receivedOn: inDays(3) })).statusCode).toBe(400);

    // Closing: a stale version is refused; then no more replies, by either path, and nothing is lost.
    const stale = await inject({ method: 'POST', url: `/api/remiss-rounds/${round.id}/close`, cookie: officer, payload: { version: round.version + 5 } });
    expect(stale.statusCode).toBe(409);
    expect(errorCode(stale)).toBe('VERSION_CONFLICT');
    const closed = await inject({ method: 'POST', url: `/api/remiss-rounds/${round.id}/close`, cookie: officer, payload: { version: round.version } });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', allowedActions: [] });
    const late = await publicReply(token('polisen'), { kind: 'no_objection' });
    expect(late.statusCode).toBe(409);
    expect(errorCode(late)).toBe('REMISS_ROUND_CLOSED');
    expect(late.json().error.message).toMatch(/stängd/);
    const lateOfficer = await officerReply(recipient('rssyd').id, { kind: 'no_objection' });
    expect(lateOfficer.statusCode).toBe(409);
    expect(errorCode(lateOfficer)).toBe('REMISS_ROUND_CLOSED');
    const after = (await inject({ method: 'GET', url: `/api/cases/${c.id}/remiss-rounds`, cookie: officer })).json().items[0] as RemissRound;
    expect(after.counts).toEqual({ total: 4, answered: 2, outstanding: 2, overdue: 0 });
    expect(after.recipients.filter((r) => r.reply).map((r) => r.reply!.text ?? 'inget att erinra')).toHaveLength(2);
  });

  it('lets an internal recipient answer in Trygg (cases.handle on its own organisation) and no one else', async () => {
    const { recipient } = await sendRound({ title: 'Internt besvarad remiss' });
    const sonOfficerUser = await createUser(ctx.database, { homeOrganisationId: ids.son, grants: [{ organisationId: ids.son, role: 'officer' }] });
    const tnOfficerUser = await createUser(ctx.database, { homeOrganisationId: ids.tn, grants: [{ organisationId: ids.tn, role: 'officer' }] });
    const sonOfficer = await signIn(ctx.app, sonOfficerUser.email);
    const tnOfficer = await signIn(ctx.app, tnOfficerUser.email);
    const reporterSon = await signIn(ctx.app, 'rapportor.son@lund.example');

    const inbox = (await inject({ method: 'GET', url: '/api/remiss-inbox', cookie: sonOfficer })).json().items as { recipientId: string; organisationName: string; letter: string; status: string }[];
    const mine = inbox.find((i) => i.recipientId === recipient('son').id)!;
    expect(mine).toMatchObject({ organisationName: 'Socialnämnden', status: 'pending' });
    expect(mine.letter).toContain('Kommunstyrelsen sänder förslaget');
    expect(inbox.every((i) => i.organisationName === 'Socialnämnden')).toBe(true);
    // The case itself stays out of reach (it belongs to Kommunkontoret).
    expect((await inject({ method: 'GET', url: `/api/cases/${(await ctx.database.db.execute<{ case_id: string }>(sql`select o.case_id from remiss_rounds o join remiss_recipients p on p.round_id = o.id where p.id = ${recipient('son').id}`)).rows[0].case_id}/remiss-rounds`, cookie: sonOfficer })).statusCode).toBe(404);

    expect((await officerReply(recipient('son').id, { kind: 'no_objection' }, tnOfficer)).statusCode).toBe(404);
    expect((await officerReply(recipient('polisen').id, { kind: 'no_objection' }, sonOfficer)).statusCode).toBe(404);
    expect((await officerReply(recipient('son').id, { kind: 'no_objection' }, reporterSon)).statusCode).toBe(403);
    // The recipient cannot backdate its own reply: it arrives the day it is given.
    const res = await officerReply(recipient('son').id, { kind: 'reply', receivedOn: '2020-01-01', text: 'Socialnämnden har inga invändningar men vill betona samverkan.' }, sonOfficer, { filename: 'Yttrande SoN.pdf', data: PDF });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ round: null });
    const reply = await ctx.database.db.execute<{ via: string; received_on: string; case_id: string; record_id: string }>(sql`
      select y.via, y.received_on::text, r.case_id, y.record_id from remiss_replies y join case_records r on r.id = y.record_id where y.recipient_id = ${recipient('son').id}`);
    expect(reply.rows[0]).toMatchObject({ via: 'internal', received_on: todayInStockholm() });

    // An official document when it arrives: an incoming record in the case's record list, dated the day it came…
    const records = await inject({ method: 'GET', url: `/api/cases/${reply.rows[0].case_id}/records`, cookie: officer });
    expect(records.statusCode, records.body).toBe(200);
    const record = (records.json().items as { id: string; direction: string; recordDate: string; title: string; counterpart: string | null }[]).find((r) => r.id === reply.rows[0].record_id);
    expect(record).toMatchObject({ direction: 'incoming', recordDate: todayInStockholm(), title: 'Remissvar från Socialnämnden', counterpart: 'Socialnämnden' });
    // …and in the registry.
    const found = await inject({ method: 'GET', url: `/api/search?limit=100&q=${encodeURIComponent('Remissvar Socialnämnden')}`, cookie: officer });
    expect(found.statusCode, found.body).toBe(200);
    expect((found.json().items as { kind: string; id: string }[]).some((h) => h.kind === 'record' && h.id === reply.rows[0].record_id)).toBe(true);
  });

  it('shows the rounds to readers of the case and lets only handlers of it send, close or record', async () => {
    const c = await createCase(ctx.database);
    const body = { title: 'Remiss', letter: 'Brev', recipients: [{ organisationId: ids.son, replyBy: inDays(10) }] };
    expect((await inject({ method: 'POST', url: `/api/cases/${c.id}/remiss-rounds`, cookie: reader, payload: body })).statusCode).toBe(403);
    expect((await inject({ method: 'POST', url: `/api/cases/${c.id}/remiss-rounds`, cookie: partner, payload: body })).statusCode).toBe(403);
    expect((await inject({ method: 'GET', url: `/api/cases/${c.id}/remiss-rounds`, cookie: reader })).json()).toMatchObject({ canManage: false, items: [] });
    expect((await inject({ method: 'GET', url: `/api/cases/${c.id}/remiss-rounds`, cookie: partner })).statusCode).toBe(403);
    expect((await inject({ method: 'GET', url: '/api/cases/00000000-0000-4000-8000-000000000000/remiss-rounds', cookie: officer })).statusCode).toBe(404);
    // Bad input: duplicates, dates before sending, an external recipient without an address, an unknown organisation.
    const noMail = await ctx.database.db.execute<{ id: string }>(sql`update organisations set email = null where key = 'fm' returning id`);
    const bad = await inject({
      method: 'POST',
      url: `/api/cases/${c.id}/remiss-rounds`,
      cookie: officer,
      payload: {
        title: 'Remiss',
        letter: 'Brev',
        sentOn: '2026-01-10',
        recipients: [
          { organisationId: ids.son, replyBy: '2026-02-01' },
          { organisationId: ids.son, replyBy: '2026-02-01' },
          { organisationId: ids.tn, replyBy: '2026-01-01' },
          { organisationId: noMail.rows[0].id, replyBy: '2026-02-01' },
          { organisationId: '00000000-0000-4000-8000-000000000000', replyBy: '2026-02-01' },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['recipients.1.organisationId', 'recipients.2.replyBy', 'recipients.3.email', 'recipients.4.organisationId']);
    expect(bad.json().error.fields.find((f: { path: string }) => f.path === 'recipients.3.email').message).toMatch(/e-postadress/);
    const rounds = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from remiss_rounds where case_id = ${c.id}`);
    expect(rounds.rows[0].n).toBe(0);
    // A decision that is not a remiss decision of this case is refused.
    const notHere = await inject({ method: 'POST', url: `/api/cases/${c.id}/remiss-rounds`, cookie: officer, payload: { ...body, decisionId: '00000000-0000-4000-8000-000000000000' } });
    expect(notHere.json().error.fields[0].path).toBe('decisionId');
  });
});

describe('reminders', () => {
  it('mails outstanding recipients before and after their reply date, and the closed round forgets its reminders', async () => {
    const { round, recipient } = await sendRound({ replyBy: inDays(20), title: 'Påminnelseremiss' });
    const jobs = () =>
      ctx.database.db.execute<{ id: number; kind: string; run_at: Date }>(sql`select id, payload->>'kind' as kind, run_at from jobs where type = 'remiss.remind' and status = 'pending' and payload->>'roundId' = ${round.id} order by run_at`);
    const pending = await jobs();
    expect(pending.rows.map((r) => r.kind)).toEqual(['before', 'overdue']);
    // 7 days before and the day after the reply date.
    expect(new Date(pending.rows[0].run_at).toISOString().slice(0, 10)).toBe(inDays(13));
    expect(new Date(pending.rows[1].run_at).toISOString().slice(0, 10)).toBe(inDays(21));
    await runJobs(); // the remiss mails themselves
    // Tekniska nämnden answers; then the "before" reminder falls due.
    expect((await officerReply(recipient('tn').id, { kind: 'no_objection' })).statusCode).toBe(201);
    await ctx.database.db.execute(sql`update jobs set run_at = now() where id = ${pending.rows[0].id}`);
    const before = smtp.messages.length;
    await runJobs();
    const reminders = smtp.messages.slice(before);
    const to = reminders.flatMap((m) => m.to);
    expect(to).toEqual(expect.arrayContaining(['son@lund.example', 'polisen@lund.example', 'registrator@rssyd.example']));
    expect(to).not.toContain('tn@lund.example');
    const police = reminders.find((m) => m.to.includes('polisen@lund.example'))!;
    expect(police.subject).toBe(`Påminnelse: remissvar om Förslag till program för trygghet och säkerhet senast ${inDays(20)}`);
    expect(police.text).toContain('personliga länk');
    expect(reminders.find((m) => m.to.includes('son@lund.example'))!.text).toContain(`${PUBLIC_URL}/remisser`);

    const current = (await inject({ method: 'GET', url: `/api/cases/${round.caseId}/remiss-rounds`, cookie: officer })).json().items[0];
    expect((await inject({ method: 'POST', url: `/api/remiss-rounds/${round.id}/close`, cookie: officer, payload: { version: current.version } })).statusCode).toBe(200);
    expect((await jobs()).rows).toEqual([]);
  });
});

describe('letter file and sammanställning', () => {
  it('keeps the letter as a file of the outgoing record, readable through the link too', async () => {
    const { round, token } = await sendRound();
    const up = await inject({ method: 'POST', url: `/api/remiss-rounds/${round.id}/letter-file`, cookie: officer, ...multipartForm({}, { filename: 'Remissbrev.pdf', data: PDF }) });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().letterFile).toMatchObject({ filename: 'Remissbrev.pdf', size: PDF.length });
    expect((await inject({ method: 'POST', url: `/api/remiss-rounds/${round.id}/letter-file`, cookie: reader, ...multipartForm({}, { filename: 'x.pdf', data: PDF }) })).statusCode).toBe(403);
    const viaLink = await inject({ method: 'GET', url: `/api/remissvar/${token('polisen')}/letter-file` });
    expect(viaLink.statusCode).toBe(200);
    expect(viaLink.rawPayload.equals(PDF)).toBe(true);
    expect((await inject({ method: 'GET', url: `/api/remissvar/${token('polisen')}` })).json().letterFile).toEqual({ filename: 'Remissbrev.pdf', size: PDF.length });
    expect((await inject({ method: 'GET', url: `/api/remiss-rounds/${round.id}/letter-file`, cookie: reader })).statusCode).toBe(200);
  });

  it('compiles every reply into a DOCX: recipient, date, body and § or "inget att erinra", and the text', async () => {
    const { round, recipient, token } = await sendRound();
    await officerReply(recipient('son').id, { kind: 'decision', receivedOn: '2026-01-12', decidedOn: '2026-01-10', paragraph: '4', text: 'Socialnämnden tillstyrker förslaget.' });
    await officerReply(recipient('tn').id, { kind: 'no_objection', receivedOn: '2026-01-15' });
    await publicReply(token('polisen'), { kind: 'reply', text: 'Polisen vill delta i samverkan & lägesbild <snabbt>.' });
    const res = await inject({ method: 'POST', url: '/api/exports', cookie: officer, payload: { kind: 'cases.remiss-compilation', format: 'docx', params: { roundId: round.id } } });
    expect(res.statusCode, res.body).toBe(202);
    await runJobs();
    const file = await inject({ method: 'GET', url: `/api/exports/${res.json().id}/file`, cookie: officer });
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    const xml = await (await JSZip.loadAsync(file.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    expect(text).toContain('Sammanställning av remissvar');
    for (const s of ['Socialnämnden', 'Tekniska nämnden', 'Polismyndigheten', 'Socialnämnden 2026-01-10 § 4', 'Inget att erinra', 'Socialnämnden tillstyrker förslaget.', 'Polisen vill delta i samverkan & lägesbild <snabbt>.', '2026-01-12', '2026-01-15'])
      expect(text, s).toContain(s);
    // Räddningstjänsten Syd has not answered: listed among the missing.
    expect(text).toMatch(/inte har svarat[\s\S]*Räddningstjänsten Syd/);
    expect(text).toMatch(/3 av 4 remissinstanser/);
    // Only readers of the case may have it.
    const denied = await inject({ method: 'POST', url: '/api/exports', cookie: partner, payload: { kind: 'cases.remiss-compilation', format: 'docx', params: { roundId: round.id } } });
    expect([403, 404]).toContain(denied.statusCode);
  });
});

describe('rate limit on the public link', () => {
  it('limits requests per client address', async () => {
    const limited = await createTestApp({ seed: false, env: { REMISS_PUBLIC_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ method: 'GET', url: `/api/remissvar/${'z'.repeat(43)}` })).statusCode);
      expect(codes).toEqual([404, 404, 404, 429, 429]);
      const res = await limited.app.inject({ method: 'GET', url: `/api/remissvar/${'z'.repeat(43)}` });
      expect(res.json().error.code).toBe('RATE_LIMITED');
      expect(res.headers['retry-after']).toBeTruthy();
    } finally {
      await limited.close();
    }
  });
});

describe('demo data: the remiss of KS 2018/0316', () => {
  it('seeds the KSAU 2019-02-25 § 48 round to every body the memo names, every reply recorded, non-repliers shown as such, the round closed', async () => {
    // The demo seed (src/server/seed/seed.ts) ran seedRemissDemo on KS 2018/0316 itself.
    const c = (await ctx.database.db.execute<{ id: string }>(sql`select id from cases where registry_number = 'KS 2018/0316'`)).rows[0];
    const roundId = (await ctx.database.db.execute<{ id: string }>(sql`select id from remiss_rounds where case_id = ${c.id}`)).rows[0].id;
    const list = (await inject({ method: 'GET', url: `/api/cases/${c.id}/remiss-rounds`, cookie: officer })).json();
    const round = list.items[0] as RemissRound;
    expect(round).toMatchObject({ id: roundId, status: 'closed', decisionRef: 'KSAU 2019-02-25 § 48', sentOn: '2019-02-25', counts: { total: 18, answered: 16, outstanding: 2, overdue: 0 } });
    // The armed forces and LKF (a company: "bolag") were sent the remiss and did not reply.
    expect(round.recipients.filter((r) => r.noReply).map((r) => r.organisationName).sort()).toEqual(['Försvarsmakten', 'LKF (Lunds kommuns fastighets AB)']);
    expect(round.exampleNote).toContain('exempeldata');
    expect(list.decisions).toEqual([expect.objectContaining({ ref: 'KSAU 2019-02-25 § 48' })]);
    const bsn = round.recipients.find((r) => r.organisationName === 'Barn- och skolnämnden')!;
    expect(bsn.reply).toMatchObject({ kind: 'decision', decidedOn: '2019-04-24', paragraph: 37, receivedOn: '2019-04-24' });
    expect(round.recipients.find((r) => r.organisationName === 'Miljönämnden')!.reply).toMatchObject({ decidingBody: 'Miljönämndens presidieutskott', paragraph: 2 });
    expect(round.recipients.find((r) => r.organisationName === 'Polismyndigheten')!.reply).toMatchObject({ kind: 'reply', receivedOn: '2019-05-13', paragraph: null });
    expect(round.recipients.find((r) => r.organisationName === 'Kraftringen AB')!.reply!.receivedOn).toBe('2019-04-30');
    const records = await ctx.database.db.execute<{ n: number }>(sql`select count(*)::int as n from case_records where case_id = ${c.id} and direction = 'incoming'`);
    expect(records.rows[0].n).toBe(16);
  });
});
