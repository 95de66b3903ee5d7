/** Role × route matrix: Cases: the registry, decisions, assignments and dispatch, and remiss. See test/security/matrix.ts. */
import { insertRecord } from '../../../src/server/modules/cases/cases.core.ts';
import { createFileStore } from '../../../src/server/lib/filestore.ts';
import { caseRecordFiles } from '../../../src/server/db/schema/index.ts';
import { createCase } from '../../helpers/factories.ts';
import { all, cookieOf, ctx, fileUpload, ids, managers, only, pdfUpload, signedIn, userIdOf, type MatrixTable, type Principal } from '../matrix.ts';
import { sonActionId } from './program.ts';

/** A fresh case of Socialnämnden registered by KS (secret: with a secrecy marking). */
export const freshCase = (opts: { secret?: boolean } = {}) => createCase(ctx.database, { org: 'son', registryOrg: 'ks', secrecyRef: opts.secret ? '26 kap. 1 § OSL' : null });

/** A fresh record in a fresh case of Socialnämnden, optionally with a PDF in the file store. */
export async function freshRecord(opts: { file?: boolean } = {}) {
  const c = await freshCase();
  const r = await ctx.database.db.transaction((tx) => insertRecord(tx, { caseId: c.id, direction: 'incoming', recordDate: '2026-01-10', title: 'Matrishandling' }));
  let fileId = '';
  if (opts.file) {
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const stored = await createFileStore(ctx.config.FILES_DIR!).put(pdf);
    const [f] = await ctx.database.db.insert(caseRecordFiles).values({ recordId: r.id, filename: 'matris.pdf', contentType: 'application/pdf', size: stored.size, sha256: stored.sha256 }).returning();
    fileId = f.id;
  }
  return { caseId: c.id, recordId: r.id, fileId };
}

/** cases.read somewhere; on Socialnämnden's cases; writing there (register or handle); secrets there. */
export const caseReadersSomewhere = only('admin', 'coordinator', 'officer', 'reader', 'committeeAdmin');

export const sonCaseReaders = only('admin', 'coordinator', 'officer', 'reader', 'committeeAdmin');

export const sonCaseWriters = only('admin', 'coordinator', 'officer', 'committeeAdmin');

export const sonCaseSecretReaders = only('admin', 'coordinator', 'committeeAdmin');

/** A fresh case of Kommunkontoret's (kk-ts) sent on remiss by the admin; returns the round, its recipients by key and the links' tokens. */
export async function freshRemiss(keys: string[] = ['son', 'polisen'], opts: { letterFile?: boolean; replyFile?: string } = {}) {
  const { createCase } = await import('../../helpers/factories.ts');
  const { multipartForm, PDF } = await import('../../helpers/multipart.ts');
  const c = await createCase(ctx.database);
  const admin = (await cookieOf('admin'))!;
  const replyBy = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/cases/${c.id}/remiss-rounds`,
    headers: { cookie: admin },
    payload: { title: 'Matrisremiss', letter: 'Brev', recipients: keys.map((k) => ({ organisationId: ids[k], replyBy })) },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  const round = res.json() as { id: string; version: number; recipients: { id: string; organisationId: string }[]; issuedLinks: { recipientId: string; url: string }[] };
  const recipient = (k: string) => round.recipients.find((r) => r.organisationId === ids[k])!.id;
  const token = (k: string) => round.issuedLinks.find((l) => l.recipientId === recipient(k))!.url.split('/remissvar/')[1];
  if (opts.letterFile) {
    const form = multipartForm({}, { filename: 'brev.pdf', data: PDF });
    const up = await ctx.app.inject({ method: 'POST', url: `/api/remiss-rounds/${round.id}/letter-file`, headers: { ...form.headers, cookie: admin }, payload: form.payload });
    if (up.statusCode !== 200) throw new Error(up.body);
  }
  if (opts.replyFile) await remissReply(recipient(opts.replyFile), admin, true);
  return { caseId: c.id, round, recipient, token };
}

export async function remissReply(recipientId: string, cookie: string | undefined, withFile = false) {
  const { multipartForm, PDF } = await import('../../helpers/multipart.ts');
  const form = multipartForm({ kind: 'no_objection' }, withFile ? { filename: 'svar.pdf', data: PDF } : undefined);
  const res = await ctx.app.inject({ method: 'POST', url: `/api/remiss-recipients/${recipientId}/reply`, headers: { ...form.headers, ...(cookie ? { cookie } : {}) }, payload: form.payload });
  if (withFile && res.statusCode !== 201) throw new Error(res.body);
  return res;
}

export const remissForm = async (fields: Record<string, string>) => (await import('../../helpers/multipart.ts')).multipartForm(fields);

export const caseReaders = only('admin', 'coordinator', 'reader');

export const caseHandlersSomewhere = only('admin', 'coordinator', 'officer', 'committeeAdmin');

let decisionSeq = 0;

/** A fresh case of Socialnämnden (registered by KS) with a decision of KS: draft or decided (with a dispatch entry and an assignment to son). */
export async function freshDecision(status: 'draft' | 'decided' = 'draft') {
  const { decisions: d, decisionClauses: k, assignments: a, dispatchEntries: e } = await import('../../../src/server/db/schema/index.ts');
  const c = await createCase(ctx.database, { org: 'son' });
  const n = ++decisionSeq;
  const [dec] = await ctx.database.db
    .insert(d)
    .values({ caseId: c.id, bodyOrganisationId: ids.ks, title: 'Matrisbeslut', status, ...(status === 'decided' ? { decidedOn: '2031-01-01', paragraph: n, adjustedOn: '2031-01-03' } : {}) })
    .returning();
  const [clause] = await ctx.database.db.insert(k).values({ decisionId: dec.id, ordinal: 1, text: 'att göra något', effect: 'assignment', assigneeOrganisationId: ids.son, dueDate: '2031-12-31' }).returning();
  await ctx.database.db.insert(e).values({ decisionId: dec.id, kind: 'organisation', organisationId: ids.tn });
  let assignmentId = '';
  if (status === 'decided') assignmentId = (await ctx.database.db.insert(a).values({ clauseId: clause.id, decisionId: dec.id, caseId: c.id, organisationId: ids.son, text: clause.text }).returning())[0].id;
  return { caseId: c.id, id: dec.id, clauseId: clause.id, assignmentId };
}

export const sonCaseHandlers = only('admin', 'coordinator', 'officer', 'committeeAdmin');

let meetingSeq = 0;
/**
 * A fresh meeting of KS with one decided § in a case of Socialnämnden; with `adjuster`, the admin is its
 * chair and that principal's user an adjuster; with `strangers`, two users who are none of the principals; with `adjusted`, the minutes are adjusted.
 */
export async function freshMeeting(opts: { adjuster?: Principal; strangers?: boolean; adjusted?: boolean; immediate?: boolean } = {}) {
  const { meetings: m, decisions: d, meetingAdjusters, meetingItems } = await import('../../../src/server/db/schema/index.ts');
  const day = new Date(Date.UTC(2010, 0, 1 + ++meetingSeq)).toISOString().slice(0, 10);
  const [meeting] = await ctx.database.db.insert(m).values({ bodyOrganisationId: ids.ks, meetingDate: day, adjustedOn: opts.adjusted ? day : null }).returning();
  const c = await createCase(ctx.database, { org: 'son' });
  const [dec] = await ctx.database.db
    .insert(d)
    .values({ caseId: c.id, bodyOrganisationId: ids.ks, meetingId: meeting.id, title: 'Matrisparagraf', status: 'decided', decidedOn: day, paragraph: 1, immediateAdjustment: !!opts.immediate, adjustedOn: opts.adjusted ? day : null })
    .returning();
  const [item] = await ctx.database.db.insert(meetingItems).values({ meetingId: meeting.id, ordinal: 1, caseId: c.id, decisionId: dec.id }).returning();
  if (opts.strangers) {
    const { userIn } = await import('../matrix.ts');
    await ctx.database.db.insert(meetingAdjusters).values([{ meetingId: meeting.id, userId: await userIn('kk-ts'), role: 'chair' }, { meetingId: meeting.id, userId: await userIn('kk-ts'), role: 'adjuster' }]);
  }
  if (opts.adjuster) {
    const chairId = await userIdOf('admin');
    const adjusterId = await userIdOf(opts.adjuster);
    await ctx.database.db.insert(meetingAdjusters).values([{ meetingId: meeting.id, userId: chairId, role: 'chair' }, ...(adjusterId !== chairId ? [{ meetingId: meeting.id, userId: adjusterId, role: 'adjuster' }] : [{ meetingId: meeting.id, userId: await userIdOf('coordinator'), role: 'adjuster' }])]);
  }
  return { id: meeting.id, decisionId: dec.id, caseId: c.id, itemId: item.id };
}

let meetingDay = 0;

export const casesMatrix: MatrixTable = {
  // --- cases: registry (Socialnämnden's cases registered by KS; the registering body's registrars are admin and coordinator here) ---
  'GET /api/case-options': [{ name: 'registration choices', expect: caseReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/case-options' }) }],
  'GET /api/cases': [{ name: 'list (what each may read)', expect: caseReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/cases?status=open' }) }],
  'POST /api/cases': [
    { name: 'register for KS', expect: only('admin', 'coordinator'), prepare: () => ({ method: 'POST', url: '/api/cases', payload: { registryOrganisationId: ids.ks, title: 'Matrisärende', caseType: 'Övrigt', organisationId: ids.son } }) },
  ],
  'GET /api/cases/:id': [
    { name: "Socialnämnden's case", expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshCase()).id}` }) },
    { name: "Socialnämnden's secrecy-marked case", expect: sonCaseSecretReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshCase({ secret: true })).id}` }) },
  ],
  'PATCH /api/cases/:id': [
    { name: 'change status', expect: sonCaseWriters, prepare: async () => ({ method: 'PATCH', url: `/api/cases/${(await freshCase()).id}`, payload: { version: 1, status: 'dormant' } }) },
  ],
  'GET /api/cases/:id/records': [{ name: 'records', expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshCase()).id}/records` }) }],
  'POST /api/cases/:id/records': [
    { name: 'register a record', expect: sonCaseWriters, prepare: async () => ({ method: 'POST', url: `/api/cases/${(await freshCase()).id}/records`, payload: { direction: 'incoming', recordDate: '2026-01-10', title: 'Skrivelse' } }) },
  ],
  'PATCH /api/cases/:id/records/:recordId': [
    {
      name: "correct a record's metadata",
      expect: sonCaseWriters,
      prepare: async () => {
        const r = await freshRecord();
        return { method: 'PATCH', url: `/api/cases/${r.caseId}/records/${r.recordId}`, payload: { version: 1, title: 'Rättad titel' } };
      },
    },
  ],
  'POST /api/cases/:id/records/:recordId/files': [
    {
      name: 'attach a PDF',
      expect: sonCaseWriters,
      prepare: async () => {
        const r = await freshRecord();
        return { method: 'POST', url: `/api/cases/${r.caseId}/records/${r.recordId}/files`, ...pdfUpload() };
      },
    },
  ],
  'GET /api/cases/:id/records/:recordId/files/:fileId': [
    {
      name: "download a file of Socialnämnden's case",
      expect: sonCaseReaders,
      prepare: async () => {
        const r = await freshRecord({ file: true });
        return { method: 'GET', url: `/api/cases/${r.caseId}/records/${r.recordId}/files/${r.fileId}` };
      },
    },
  ],
  'GET /api/search': [{ name: 'registry search', expect: caseReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/search?q=matrisärende' }) }],
  // --- Decisions, assignments and dispatch (issue #5; cases of Socialnämnden) ---
  'GET /api/meetings': [{ name: 'meetings', expect: sonCaseReaders, prepare: () => ({ method: 'GET', url: '/api/meetings' }) }],
  'POST /api/meetings': [
    { name: 'a meeting of KS (handlers on KS or under it)', expect: managers, prepare: () => ({ method: 'POST', url: '/api/meetings', payload: { bodyOrganisationId: ids.ks, meetingDate: new Date(Date.UTC(2040, 0, 1 + ++meetingDay)).toISOString().slice(0, 10) } }) },
  ],
  // --- The meeting process (issue #11 item 1): readers of cases see a meeting; those who handle cases on KS or under it (here admin and
  // coordinator) manage it; its own chair and adjusters adjust it; the notice board is public ---
  'GET /api/meetings/:id': [
    { name: 'a meeting of KS', expect: caseReadersSomewhere, prepare: async () => ({ method: 'GET', url: `/api/meetings/${(await freshMeeting()).id}` }) },
    { name: 'a meeting the principal adjusts', expect: signedIn, prepare: async (p) => ({ method: 'GET', url: `/api/meetings/${(await freshMeeting({ adjuster: p })).id}` }) },
  ],
  'GET /api/meetings/:id/agenda.pdf': [{ name: 'the notice and agenda', expect: caseReadersSomewhere, prepare: async () => ({ method: 'GET', url: `/api/meetings/${(await freshMeeting()).id}/agenda.pdf` }) }],
  'GET /api/meetings/:id/minutes.pdf': [
    { name: 'the minutes', expect: caseReadersSomewhere, prepare: async () => ({ method: 'GET', url: `/api/meetings/${(await freshMeeting()).id}/minutes.pdf` }) },
    { name: 'the minutes the principal adjusts', expect: signedIn, prepare: async (p) => ({ method: 'GET', url: `/api/meetings/${(await freshMeeting({ adjuster: p })).id}/minutes.pdf` }) },
  ],
  'PATCH /api/meetings/:id': [{ name: 'the notice', expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/meetings/${(await freshMeeting()).id}`, payload: { version: 1, location: 'Stadshuset' } }) }],
  'POST /api/meetings/:id/items': [
    { name: "put Socialnämnden's case on the agenda", expect: managers, prepare: async () => ({ method: 'POST', url: `/api/meetings/${(await freshMeeting()).id}/items`, payload: { caseId: (await freshCase()).id } }) },
  ],
  'DELETE /api/meetings/:id/items/:itemId': [
    { name: 'take a case off the agenda', expect: managers, prepare: async () => { const m = await freshMeeting(); return { method: 'DELETE', url: `/api/meetings/${m.id}/items/${m.itemId}` }; } },
  ],
  'PUT /api/meetings/:id/attendees': [
    { name: 'attendance', expect: managers, prepare: async () => ({ method: 'PUT', url: `/api/meetings/${(await freshMeeting()).id}/attendees`, payload: { version: 1, attendees: [{ name: 'Anna Ordförande', role: 'chair' }] } }) },
  ],
  'PUT /api/meetings/:id/adjusters': [
    { name: 'appoint the chair and an adjuster', expect: managers, prepare: async () => ({ method: 'PUT', url: `/api/meetings/${(await freshMeeting()).id}/adjusters`, payload: { version: 1, chairUserId: await userIdOf('admin'), adjusterUserIds: [await userIdOf('reader')] } }) },
  ],
  'GET /api/meeting-users': [{ name: 'users to appoint', expect: caseHandlersSomewhere, prepare: () => ({ method: 'GET', url: '/api/meeting-users' }) }],
  'POST /api/meetings/:id/adjust': [
    { name: 'adjust as the appointed adjuster', expect: signedIn, prepare: async (p) => ({ method: 'POST', url: `/api/meetings/${(await freshMeeting({ adjuster: p })).id}/adjust`, payload: {} }) },
    { name: 'adjust minutes one is not appointed to', expect: only(), prepare: async () => ({ method: 'POST', url: `/api/meetings/${(await freshMeeting({ strangers: true })).id}/adjust`, payload: {} }) },
  ],
  'POST /api/meetings/:id/notice': [
    { name: 'post the notice of adjusted minutes', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/meetings/${(await freshMeeting({ adjusted: true })).id}/notice`, payload: {} }) },
  ],
  'POST /api/decisions/:id/reservations': [
    { name: "a reservation in Socialnämnden's case", expect: managers, prepare: async () => ({ method: 'POST', url: `/api/decisions/${(await freshMeeting()).decisionId}/reservations`, payload: { name: 'Bertil Ledamot' } }) },
  ],
  'DELETE /api/decisions/:id/reservations/:reservationId': [
    {
      name: 'remove a reservation',
      expect: managers,
      prepare: async () => {
        const { decisionReservations } = await import('../../../src/server/db/schema/index.ts');
        const m = await freshMeeting();
        const [r] = await ctx.database.db.insert(decisionReservations).values({ decisionId: m.decisionId, name: 'Bertil Ledamot' }).returning();
        return { method: 'DELETE', url: `/api/decisions/${m.decisionId}/reservations/${r.id}` };
      },
    },
  ],
  'PUT /api/decisions/:id/immediate-adjustment': [
    { name: 'adjust a § at once', expect: managers, prepare: async () => ({ method: 'PUT', url: `/api/decisions/${(await freshMeeting()).decisionId}/immediate-adjustment`, payload: { immediate: true } }) },
  ],
  'GET /api/notice-board': [{ name: 'the public notice board', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/notice-board' }) }],
  'POST /api/decisions/:id/forward': [
    {
      name: "forward a decided proposal in Socialnämnden's case",
      expect: sonCaseHandlers,
      prepare: async () => {
        const { decisionClauses } = await import('../../../src/server/db/schema/index.ts');
        const d = await freshDecision('decided');
        const { eq } = await import('drizzle-orm');
        await ctx.database.db.update(decisionClauses).set({ toBodyOrganisationId: ids.kf }).where(eq(decisionClauses.id, d.clauseId));
        return { method: 'POST', url: `/api/decisions/${d.id}/forward`, payload: { bodyOrganisationId: ids.kf } };
      },
    },
  ],
  'GET /api/cases/:id/decisions': [{ name: "Socialnämnden's case", expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshDecision()).caseId}/decisions` }) }],
  'POST /api/cases/:id/decisions': [
    { name: "in Socialnämnden's case", expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/cases/${(await freshDecision()).caseId}/decisions`, payload: { bodyOrganisationId: ids.ks, title: 'Nytt beslut' } }) },
  ],
  'GET /api/decisions/:id': [{ name: 'a decision', expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/decisions/${(await freshDecision()).id}` }) }],
  'PATCH /api/decisions/:id': [{ name: 'a draft', expect: sonCaseHandlers, prepare: async () => ({ method: 'PATCH', url: `/api/decisions/${(await freshDecision()).id}`, payload: { version: 1, title: 'Ändrad' } }) }],
  'POST /api/decisions/:id/clauses': [
    { name: 'add an att-sats', expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/decisions/${(await freshDecision()).id}/clauses`, payload: { version: 1, text: 'att också göra detta' } }) },
  ],
  'PATCH /api/decisions/:id/clauses/:clauseId': [
    { name: 'edit an att-sats', expect: sonCaseHandlers, prepare: async () => { const d = await freshDecision(); return { method: 'PATCH', url: `/api/decisions/${d.id}/clauses/${d.clauseId}`, payload: { version: 1, text: 'att ändra' } }; } },
  ],
  'DELETE /api/decisions/:id/clauses/:clauseId': [
    { name: 'remove an att-sats', expect: sonCaseHandlers, prepare: async () => { const d = await freshDecision(); return { method: 'DELETE', url: `/api/decisions/${d.id}/clauses/${d.clauseId}?version=1` }; } },
  ],
  'PUT /api/decisions/:id/clause-order': [
    { name: 'reorder', expect: sonCaseHandlers, prepare: async () => { const d = await freshDecision(); return { method: 'PUT', url: `/api/decisions/${d.id}/clause-order`, payload: { version: 1, clauseIds: [d.clauseId] } }; } },
  ],
  'POST /api/decisions/:id/decide': [
    { name: 'mark decided', expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/decisions/${(await freshDecision()).id}/decide`, payload: { version: 1, decidedOn: '2032-01-01', paragraph: ++decisionSeq } }) },
  ],
  'PUT /api/decisions/:id/dispatch-list': [
    { name: 'dispatch list', expect: sonCaseHandlers, prepare: async () => ({ method: 'PUT', url: `/api/decisions/${(await freshDecision('decided')).id}/dispatch-list`, payload: { version: 1, organisationIds: [ids.tn, ids.polisen], file: true } }) },
  ],
  'POST /api/decisions/:id/dispatch': [
    { name: 'dispatch', expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/decisions/${(await freshDecision('decided')).id}/dispatch`, payload: { version: 1 } }) },
  ],
  'GET /api/decisions/:id/extract.pdf': [
    { name: 'extract of a decided decision', expect: sonCaseReaders, prepare: async () => ({ method: 'GET', url: `/api/decisions/${(await freshDecision('decided')).id}/extract.pdf` }) },
  ],
  'GET /api/assignments': [{ name: 'assignments (what each may see)', expect: sonCaseReaders, prepare: () => ({ method: 'GET', url: '/api/assignments' }) }],
  'PATCH /api/assignments/:id': [
    { name: "Socialnämnden's assignment", expect: sonCaseHandlers, prepare: async () => ({ method: 'PATCH', url: `/api/assignments/${(await freshDecision('decided')).assignmentId}`, payload: { version: 1, status: 'done' } }) },
  ],
  'POST /api/assignments/:id/actions': [
    { name: "link Socialnämnden's action", expect: sonCaseHandlers, prepare: async () => ({ method: 'POST', url: `/api/assignments/${(await freshDecision('decided')).assignmentId}/actions`, payload: { actionId: await sonActionId() } }) },
  ],
  'DELETE /api/assignments/:id/actions/:actionId': [
    {
      name: 'unlink an action',
      expect: sonCaseHandlers,
      prepare: async () => {
        const { assignmentActions } = await import('../../../src/server/db/schema/index.ts');
        const d = await freshDecision('decided');
        const actionId = await sonActionId();
        await ctx.database.db.insert(assignmentActions).values({ assignmentId: d.assignmentId, actionId });
        return { method: 'DELETE', url: `/api/assignments/${d.assignmentId}/actions/${actionId}` };
      },
    },
  ],
  // --- remiss: the case's readers see its rounds, its handlers send and manage them; internal recipients answer; the link is public ---
  'GET /api/cases/:id/remiss-rounds': [{ name: "rounds of Kommunkontoret's case", expect: caseReaders, prepare: async () => ({ method: 'GET', url: `/api/cases/${(await freshRemiss()).caseId}/remiss-rounds` }) }],
  'POST /api/cases/:id/remiss-rounds': [
    {
      name: "send Kommunkontoret's case on remiss",
      expect: managers,
      prepare: async () => ({
        method: 'POST',
        url: `/api/cases/${(await (await import('../../helpers/factories.ts')).createCase(ctx.database)).id}/remiss-rounds`,
        payload: { title: 'Remiss', letter: 'Brev', recipients: [{ organisationId: ids.son, replyBy: '2099-01-01' }] },
      }),
    },
  ],
  'POST /api/remiss-rounds/:id/letter-file': [
    { name: 'attach the letter', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/remiss-rounds/${(await freshRemiss()).round.id}/letter-file`, ...fileUpload('brev.pdf', Buffer.from('%PDF-1.4\n%%EOF\n')) }) },
  ],
  'GET /api/remiss-rounds/:id/letter-file': [
    { name: 'the letter of a round to Tekniska nämnden', expect: caseReaders, prepare: async () => ({ method: 'GET', url: `/api/remiss-rounds/${(await freshRemiss(['tn'], { letterFile: true })).round.id}/letter-file` }) },
    { name: 'the letter of a round to Socialnämnden', expect: only('admin', 'coordinator', 'reader', 'officer', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/remiss-rounds/${(await freshRemiss(['son'], { letterFile: true })).round.id}/letter-file` }) },
  ],
  'POST /api/remiss-rounds/:id/close': [
    { name: 'close a round', expect: managers, prepare: async () => { const r = await freshRemiss(); return { method: 'POST', url: `/api/remiss-rounds/${r.round.id}/close`, payload: { version: r.round.version } }; } },
  ],
  'POST /api/remiss-recipients/:id/link': [{ name: "re-issue the police's link", expect: managers, prepare: async () => ({ method: 'POST', url: `/api/remiss-recipients/${(await freshRemiss()).recipient('polisen')}/link` }) }],
  'DELETE /api/remiss-recipients/:id/link': [{ name: "revoke the police's link", expect: managers, prepare: async () => ({ method: 'DELETE', url: `/api/remiss-recipients/${(await freshRemiss()).recipient('polisen')}/link` }) }],
  'POST /api/remiss-recipients/:id/reply': [
    { name: "Socialnämnden's reply", expect: caseHandlersSomewhere, prepare: async () => ({ method: 'POST', url: `/api/remiss-recipients/${(await freshRemiss()).recipient('son')}/reply`, ...(await remissForm({ kind: 'no_objection' })) }) },
    { name: "the police's reply (recorded by the handläggare)", expect: managers, prepare: async () => ({ method: 'POST', url: `/api/remiss-recipients/${(await freshRemiss()).recipient('polisen')}/reply`, ...(await remissForm({ kind: 'no_objection' })) }) },
  ],
  'GET /api/remiss-recipients/:id/reply-file': [
    { name: "Socialnämnden's reply file", expect: only('admin', 'coordinator', 'reader', 'officer', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/remiss-recipients/${(await freshRemiss(['son'], { replyFile: 'son' })).recipient('son')}/reply-file` }) },
  ],
  'GET /api/remiss-inbox': [{ name: 'remisser till oss', expect: caseHandlersSomewhere, prepare: () => ({ method: 'GET', url: '/api/remiss-inbox' }) }],
  'GET /api/remissvar/:token': [{ name: 'the remiss behind a personal link', expect: all('allow'), prepare: async () => ({ method: 'GET', url: `/api/remissvar/${(await freshRemiss()).token('polisen')}` }) }],
  'GET /api/remissvar/:token/letter-file': [
    { name: 'the letter behind a personal link', expect: all('allow'), prepare: async () => ({ method: 'GET', url: `/api/remissvar/${(await freshRemiss(['polisen'], { letterFile: true })).token('polisen')}/letter-file` }) },
  ],
  'POST /api/remissvar/:token': [
    { name: 'reply through a personal link', expect: all('allow'), prepare: async () => ({ method: 'POST', url: `/api/remissvar/${(await freshRemiss()).token('polisen')}`, ...(await remissForm({ kind: 'no_objection' })), cookie: null }) },
  ],
};
