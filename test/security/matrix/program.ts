/** Role × route matrix: Program, plan and follow-up (programs owned by the executive board, ks), and its export kinds. See test/security/matrix.ts. */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { programRepo } from '../../../src/server/modules/program/program.repo.ts';
import { indicatorValues, reportAttachments } from '../../../src/server/db/schema/index.ts';
import { ctx, email, ids, managers, only, pdfUpload, signedIn, type MatrixTable } from '../matrix.ts';

/** A fresh program owned by the executive board (ks), with one focus area, one goal and an action per given organisation. */
export async function freshProgram(actionOrgs: string[] = ['son']) {
  const db = ctx.database.db;
  const program = await programRepo.insertProgram(db, { kind: 'action_plan', title: `Matrisplan ${randomBytes(3).toString('hex')}`, ownerOrganisationId: ids.ks });
  const area = await programRepo.insertFocusArea(db, { programId: program.id, number: 1, title: 'Fokus' });
  const goal = await programRepo.insertGoal(db, { focusAreaId: area.id, number: 1, text: 'Mål' });
  const actions = [];
  for (const key of actionOrgs) actions.push(await programRepo.insertAction(db, { goalId: goal.id, title: `Åtgärd för ${key}`, responsibleOrganisationId: ids[key] }));
  return { program, area, goal, actions };
}

/** A fresh open round over a fresh program, with one report for the given organisation's action (state as given). */
export async function freshReport(key: string, state: 'not_started' | 'submitted' = 'not_started') {
  const { program, actions } = await freshProgram([key]);
  const round = await programRepo.insertRound(ctx.database.db, { programId: program.id, name: 'Matrisomgång', deadline: '2099-01-01' });
  await programRepo.insertReports(ctx.database.db, [{ roundId: round.id, actionId: actions[0].id, organisationId: ids[key], state, ...(state === 'submitted' ? { actionStatus: 'in_progress', progress: 10 } : {}) }]);
  const [report] = await programRepo.listReports(ctx.database.db, { roundId: round.id });
  return { round, reportId: report.id as string };
}

export function csvUpload() {
  const boundary = 'matris' + randomBytes(6).toString('hex');
  const csv = 'Fokusområde;Mål;Åtgärd;Ansvarig\r\n2;1;Matrisåtgärd;Socialnämnden\r\n';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`),
  };
}

/** A fresh report of the organisation with one attachment; its URL. */
export async function attachmentUrl(key: string) {
  const { reportId } = await freshReport(key);
  const { rows } = await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = 'admin@lund.example'`);
  const [a] = await ctx.database.db
    .insert(reportAttachments)
    .values({ reportId, filename: 'bilaga.pdf', contentType: 'application/pdf', size: 14, sha256: 'x', content: Buffer.from('%PDF-1.4\n%%EOF\n'), uploadedBy: rows[0].id })
    .returning();
  return `/api/follow-up-reports/${reportId}/attachments/${a.id}`;
}

/** Whole-program readers: those with program.read on the executive board (the program's owner). */
export const wholeProgram = only('admin', 'coordinator', 'reader');

/** followup.report somewhere: the gate of the report routes. */
export const reportersOfSon = only('admin', 'coordinator', 'officer', 'reporter', 'committeeAdmin');

/** A plan action of Socialnämnden (readable to those with program.read on it). */
export async function sonActionId() {
  return (await ctx.database.db.execute<{ id: string }>(sql`select id from plan_actions where responsible_organisation_id = ${ids.son} limit 1`)).rows[0].id;
}

/** A fresh program whose goal has an indicator (0–100 %, KPI U07460) and one measured value. */
export async function freshIndicator() {
  const { program, area } = await freshProgram();
  const goal = await programRepo.insertGoal(ctx.database.db, { focusAreaId: area.id, number: 2, text: 'Mätbart mål', indicator: 'Andel trygga', unit: '%', baseline: '60', targetValue: '80', kpiId: 'U07460' });
  const [value] = await ctx.database.db.insert(indicatorValues).values({ goalId: goal.id, measuredOn: '2024-12-31', period: '2024', value: '65', source: 'manual' }).returning();
  return { program, goal, value };
}

/** An open round of a fresh program whose indicator Socialnämnden measures and reports. */
export async function freshRoundIndicator() {
  const { program, area } = await freshProgram();
  const goal = await programRepo.insertGoal(ctx.database.db, { focusAreaId: area.id, number: 2, text: 'Mätbart mål', indicator: 'Andel trygga', unit: '%', indicatorOrganisationId: ids.son });
  const round = await programRepo.insertRound(ctx.database.db, { programId: program.id, name: 'Matrisomgång', deadline: '2099-01-01' });
  return { round, goal };
}

export function koladaUpload() {
  const boundary = 'matris' + randomBytes(6).toString('hex');
  const csv = 'Kommun-id;KPI;År;Värde\r\n1281;U07460;2024;66\r\n';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="kolada.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`),
  };
}

export const programMatrix: MatrixTable = {
  // --- Program, plan and follow-up (programs owned by the executive board, ks) ---
  'GET /api/programs': [{ name: 'list', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/programs' }) }],
  'GET /api/programs/:id': [{ name: 'structure of a program', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/programs/${(await freshProgram()).program.id}` }) }],
  'GET /api/programs/:id/rollup': [{ name: 'roll-up (filtered to what each may see)', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/programs/${(await freshProgram(['son', 'tn'])).program.id}/rollup` }) }],
  'POST /api/programs': [
    { name: 'owned by the executive board', expect: managers, prepare: () => ({ method: 'POST', url: '/api/programs', payload: { kind: 'action_plan', title: 'Ny plan', ownerOrganisationId: ids.ks } }) },
    { name: 'owned by Socialnämnden', expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: () => ({ method: 'POST', url: '/api/programs', payload: { kind: 'action_plan', title: 'Nämndens plan', ownerOrganisationId: ids.son } }) },
  ],
  'PATCH /api/programs/:id': [{ name: 'rename', expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/programs/${(await freshProgram()).program.id}`, payload: { version: 1, title: 'Nytt namn' } }) }],
  'POST /api/programs/:id/focus-areas': [{ name: 'add focus area', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/programs/${(await freshProgram()).program.id}/focus-areas`, payload: { number: 2, title: 'Nytt' } }) }],
  'PATCH /api/focus-areas/:id': [{ name: 'rename focus area', expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/focus-areas/${(await freshProgram()).area.id}`, payload: { version: 1, title: 'Nytt' } }) }],
  'POST /api/focus-areas/:id/goals': [{ name: 'add goal', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/focus-areas/${(await freshProgram()).area.id}/goals`, payload: { number: 2, text: 'Nytt mål' } }) }],
  'PATCH /api/goals/:id': [{ name: 'change goal', expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/goals/${(await freshProgram()).goal.id}`, payload: { version: 1, text: 'Ändrat' } }) }],
  // Measured indicators: the programme's figures, read by all who read programmes; changed by its managers.
  'GET /api/goals/:id/indicator': [{ name: "a goal's indicator and its trend", expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/goals/${(await freshIndicator()).goal.id}/indicator` }) }],
  'POST /api/goals/:id/indicator-values': [
    { name: 'enter a value', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/goals/${(await freshIndicator()).goal.id}/indicator-values`, payload: { measuredOn: '2025-12-31', value: 70 } }) },
  ],
  'PATCH /api/indicator-values/:id': [
    { name: 'change a value', expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/indicator-values/${(await freshIndicator()).value.id}`, payload: { version: 1, value: 66 } }) },
  ],
  'DELETE /api/indicator-values/:id': [
    { name: 'remove a value', expect: managers, prepare: async () => ({ method: 'DELETE', url: `/api/indicator-values/${(await freshIndicator()).value.id}?version=1` }) },
  ],
  'POST /api/programs/:id/indicator-import': [
    { name: 'preview a key-figure import', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/programs/${(await freshIndicator()).program.id}/indicator-import?dryRun=true`, ...koladaUpload() }) },
  ],
  'GET /api/actions': [{ name: 'list (filtered to what each may see)', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/actions' }) }],
  'GET /api/actions/:id': [
    { name: "Socialnämnden's action", expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['son'])).actions[0].id}` }) },
    { name: "Tekniska nämnden's action", expect: wholeProgram, prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['tn'])).actions[0].id}` }) },
    { name: "the police's action", expect: only('admin', 'coordinator', 'reader', 'partner'), prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['polisen'])).actions[0].id}` }) },
  ],
  'GET /api/actions/:id/history': [
    { name: "Socialnämnden's action", expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['son'])).actions[0].id}/history` }) },
    { name: "Tekniska nämnden's action", expect: wholeProgram, prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshProgram(['tn'])).actions[0].id}/history` }) },
  ],
  'POST /api/actions': [
    { name: 'add to the executive board’s plan', expect: managers, prepare: async () => ({ method: 'POST', url: '/api/actions', payload: { goalId: (await freshProgram()).goal.id, title: 'Ny', responsibleOrganisationId: ids.son } }) },
  ],
  'PATCH /api/actions/:id': [
    { name: "change Socialnämnden's action", expect: managers, prepare: async () => ({ method: 'PATCH', url: `/api/actions/${(await freshProgram(['son'])).actions[0].id}`, payload: { version: 1, progress: 50 } }) },
  ],
  'POST /api/programs/:id/import': [
    { name: 'preview an import', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/programs/${(await freshProgram()).program.id}/import?dryRun=true`, ...csvUpload() }) },
  ],
  'GET /api/follow-up-rounds': [{ name: 'list', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/follow-up-rounds' }) }],
  'POST /api/follow-up-rounds': [
    { name: 'open a round', expect: managers, prepare: async () => ({ method: 'POST', url: '/api/follow-up-rounds', payload: { programId: (await freshProgram()).program.id, name: 'Tertial', deadline: '2099-04-30' } }) },
  ],
  'GET /api/follow-up-rounds/:id/overview': [{ name: 'overview (filtered)', expect: signedIn, prepare: async () => ({ method: 'GET', url: `/api/follow-up-rounds/${(await freshReport('son')).round.id}/overview` }) }],
  'GET /api/follow-up-rounds/:id/document': [{ name: 'the board report as data', expect: wholeProgram, prepare: async () => ({ method: 'GET', url: `/api/follow-up-rounds/${(await freshReport('son')).round.id}/document` }) }],
  'POST /api/follow-up-rounds/:id/close': [{ name: 'close', expect: managers, prepare: async () => ({ method: 'POST', url: `/api/follow-up-rounds/${(await freshReport('son')).round.id}/close`, payload: { version: 1 } }) }],
  // Indicator values in a round: gated on followup.report somewhere; the value itself by Socialnämnden's reporters or the coordinator.
  'GET /api/follow-up-rounds/:id/indicators': [
    { name: "a round's indicators", expect: reportersOfSon, prepare: async () => ({ method: 'GET', url: `/api/follow-up-rounds/${(await freshRoundIndicator()).round.id}/indicators` }) },
  ],
  'PUT /api/follow-up-rounds/:id/indicators/:goalId': [
    {
      name: "enter Socialnämnden's indicator value",
      expect: reportersOfSon,
      prepare: async () => {
        const { round, goal } = await freshRoundIndicator();
        return { method: 'PUT', url: `/api/follow-up-rounds/${round.id}/indicators/${goal.id}`, payload: { measuredOn: '2025-12-31', value: 70 } };
      },
    },
  ],
  'GET /api/follow-up-reports': [{ name: 'list (own organisations)', expect: reportersOfSon, prepare: () => ({ method: 'GET', url: '/api/follow-up-reports' }) }],
  'GET /api/follow-up-reports/:id': [
    { name: "Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'GET', url: `/api/follow-up-reports/${(await freshReport('son')).reportId}` }) },
    { name: "Tekniska nämnden's report", expect: managers, prepare: async () => ({ method: 'GET', url: `/api/follow-up-reports/${(await freshReport('tn')).reportId}` }) },
  ],
  'PUT /api/follow-up-reports/:id': [
    { name: "draft Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'PUT', url: `/api/follow-up-reports/${(await freshReport('son')).reportId}`, payload: { version: 1, done: 'Utkast' } }) },
    { name: "draft Tekniska nämnden's report", expect: managers, prepare: async () => ({ method: 'PUT', url: `/api/follow-up-reports/${(await freshReport('tn')).reportId}`, payload: { version: 1, done: 'Utkast' } }) },
  ],
  'POST /api/follow-up-reports/:id/submit': [
    { name: "submit Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'POST', url: `/api/follow-up-reports/${(await freshReport('son')).reportId}/submit`, payload: { version: 1, actionStatus: 'in_progress', progress: 20 } }) },
  ],
  'POST /api/follow-up-reports/:id/attachments': [
    { name: "attach to Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'POST', url: `/api/follow-up-reports/${(await freshReport('son')).reportId}/attachments`, ...pdfUpload() }) },
  ],
  'GET /api/follow-up-reports/:id/attachments/:attachmentId': [
    { name: "an attachment of Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'GET', url: await attachmentUrl('son') }) },
    { name: "an attachment of Tekniska nämnden's report", expect: managers, prepare: async () => ({ method: 'GET', url: await attachmentUrl('tn') }) },
  ],
  'DELETE /api/follow-up-reports/:id/attachments/:attachmentId': [
    { name: "remove from Socialnämnden's report", expect: reportersOfSon, prepare: async () => ({ method: 'DELETE', url: await attachmentUrl('son') }) },
  ],
  'POST /api/follow-up-reports/:id/return': [
    { name: "return Socialnämnden's submitted report", expect: managers, prepare: async () => ({ method: 'POST', url: `/api/follow-up-reports/${(await freshReport('son', 'submitted')).reportId}/return`, payload: { version: 1, comment: 'Komplettera' } }) },
  ],
  // Generated files of this module's kinds (each kind checks its own rights).
  'POST /api/exports': [
    { name: 'follow-up report of a program', expect: wholeProgram, prepare: async () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'program.followup-report', format: 'xlsx', params: { roundId: (await freshReport('son')).round.id } } }) },
    { name: 'the plan as a spreadsheet', expect: wholeProgram, prepare: async () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'program.plan', format: 'csv', params: { programId: (await freshProgram()).program.id } } }) },
  ],
};
