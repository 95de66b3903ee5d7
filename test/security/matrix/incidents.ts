/** Role × route matrix: Incidents, the map, the police import, areas, statistics and lägesbild, and their export kinds. See test/security/matrix.ts. */
import { randomBytes } from 'node:crypto';
import { createIncidentService } from '../../../src/server/modules/incidents/incidents.service.ts';
import { incidentsRepo } from '../../../src/server/modules/incidents/incidents.repo.ts';
import { incidentAreas, lagesbildFindings, lagesbildReports, lagesbildReportVersions, mapExtracts } from '../../../src/server/db/schema/index.ts';
import { programRepo } from '../../../src/server/modules/program/program.repo.ts';
import { createCase } from '../../helpers/factories.ts';
import { all, ctx, email, fileUpload, ids, managers, only, PNG, signedIn, userIdOf, userIn, type MatrixTable } from '../matrix.ts';
import { freshProgram } from './program.ts';

export async function categoryId(key: string) {
  return (await incidentsRepo.findCategoryByKey(ctx.database.db, key))!.id;
}

/** A fresh incident in the given organisation, reported by a fresh user there (or by `reporterId`); `staff` → the restricted staff category with its clock. */
export async function freshIncident(key: string, opts: { staff?: boolean; reporterId?: string } = {}) {
  const reporterId = opts.reporterId ?? (await userIn(key));
  // A reporter grant on the organisation: whoever the reporter is, they may report there (issue #6: only where granted, or for one's own organisation).
  const actor = { id: reporterId, name: 'Rapportör', email: 'x@test.example', sessionId: 'matrix', grants: [{ organisationId: ids[key], role: 'reporter' as const, includeSubtree: false }] };
  return createIncidentService({ db: ctx.database.db }).report({ actor, requestId: 'matrix' }, actor, {
    categoryId: await categoryId(opts.staff ? 'staff_threat' : 'vandalism'),
    description: 'Matrishändelse',
    organisationId: ids[key],
    location: { lat: 55.7, lon: 13.19 },
    ...(opts.staff ? { staff: { victimRole: 'employee' as const, perpetratorRelation: 'client' as const, sickLeave: false } } : {}),
  });
}

/** Incidents of Socialnämnden: readers (incidents.read on it) and managers (incidents.manage on it). */
export const sonIncidentReaders = only('admin', 'coordinator', 'officer', 'reader', 'committeeAdmin');

export const sonIncidentManagers = only('admin', 'coordinator', 'officer', 'committeeAdmin');

export const incidentReadersSomewhere = only('admin', 'coordinator', 'officer', 'reader', 'partner', 'committeeAdmin');

/** Lägesbild: incidents.read (readers) or incidents.manage (writers) on the municipality itself. */
export const lagesbildReaders = only('admin', 'coordinator', 'reader');

export const lagesbildWriters = only('admin', 'coordinator');

let weekCounter = 0;

/** A week no note has been written for (one per request). */
export const freshWeek = () => `${2001 + weekCounter++}-W10`;

/** A fresh lägesbild report (version 1), written straight to the database. */
export async function freshLagesbild(status: 'draft' | 'submitted' | 'adopted' = 'draft') {
  const by = await userIdOf('admin');
  const [row] = await ctx.database.db.insert(lagesbildReports).values({ title: 'Matris', periodFrom: '2025-01-01', periodTo: '2025-03-31', status, createdBy: by, updatedBy: by, ...(status === 'adopted' ? { adoptedAt: new Date(), adoptedBy: by } : {}) }).returning();
  await ctx.database.db.insert(lagesbildReportVersions).values({ reportId: row.id, version: 1, event: 'create', content: { title: row.title, periodFrom: row.periodFrom, periodTo: row.periodTo, status, mappingText: '', otherText: '', analysisText: '', adoptedAt: null }, savedBy: by });
  return row;
}

/** A fresh report with one finding; the finding. */
async function freshFinding() {
  const report = await freshLagesbild();
  const [finding] = await ctx.database.db.insert(lagesbildFindings).values({ reportId: report.id, ordinal: 1, text: 'Matrisslutsats' }).returning();
  return finding;
}

/** An action of Socialnämnden in a fresh crime-prevention action plan (owned by the executive board). */
async function freshCrimePreventionAction() {
  const db = ctx.database.db;
  const program = await programRepo.insertProgram(db, { kind: 'crime_prevention_plan', title: `Matrisåtgärdsplan ${randomBytes(3).toString('hex')}`, ownerOrganisationId: ids.ks });
  const area = await programRepo.insertFocusArea(db, { programId: program.id, number: 1, title: 'Fokus' });
  const goal = await programRepo.insertGoal(db, { focusAreaId: area.id, number: 1, text: 'Mål' });
  return programRepo.insertAction(db, { goalId: goal.id, title: 'Åtgärd för son', responsibleOrganisationId: ids.son });
}

/** A file of reported crimes for the municipality (code 1281), one row. */
const crimeStatsFile = () => fileUpload('bra.csv', Buffer.from('Kommunkod;Brottstyp;År;Antal\r\n1281;Skadegörelse;2024;1480\r\n'));

/** A map extract of no incidents, made by the administrator. */
async function freshMapExtract() {
  const [row] = await ctx.database.db.insert(mapExtracts).values({ title: 'Matris', west: 13.1, south: 55.6, east: 13.3, north: 55.8, points: [], createdBy: await userIdOf('admin') }).returning();
  return row;
}

export const incidentsMatrix: MatrixTable = {
  // --- Incidents and lägesbild (Socialnämnden's incidents; categories and the police import are municipality-wide) ---
  'GET /api/incident-areas': [{ name: 'areas', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-areas' }) }],
  'POST /api/incident-areas': [
    { name: 'add an area', expect: only('admin'), prepare: () => ({ method: 'POST', url: '/api/incident-areas', payload: { name: 'Matrisområde', geometry: { type: 'Polygon', coordinates: [[[13.0, 55.0], [13.01, 55.0], [13.01, 55.01], [13.0, 55.0]]] } } }) },
  ],
  'PATCH /api/incident-areas/:id': [
    {
      name: 'rename an area',
      expect: only('admin'),
      prepare: async () => {
        const [a] = await ctx.database.db.insert(incidentAreas).values({ name: 'Matris', geometry: { type: 'Polygon', coordinates: [[[13.0, 55.0], [13.01, 55.0], [13.01, 55.01], [13.0, 55.0]]] }, minLat: 55, minLon: 13, maxLat: 55.01, maxLon: 13.01 }).returning();
        return { method: 'PATCH', url: `/api/incident-areas/${a.id}`, payload: { version: 1, name: 'Nytt' } };
      },
    },
  ],
  'GET /api/incident-statistics': [
    { name: 'statistics (over what each may see)', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-statistics?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z' }) },
  ],
  'GET /api/incident-map': [
    { name: 'clusters (over what each may see)', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-map?bbox=13.1,55.65,13.3,55.75&zoom=12' }) },
    { name: 'police layer as points', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-map?bbox=13.1,55.65,13.3,55.75&zoom=16&source=police' }) },
  ],
  // --- Lägesbild page (issue #6 point 4/7): map settings and removing areas ---
  'GET /api/incident-map/settings': [{ name: 'basemap settings', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/incident-map/settings' }) }],
  // The self-hosted basemap's tiles (issue #13 item 10): whoever may see the map.
  'GET /api/basemap/:z/:x/:y': [{ name: 'basemap tile', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/basemap/0/0/0' }) }],
  'DELETE /api/incident-areas/:id': [
    {
      name: 'remove an area',
      expect: only('admin'),
      prepare: async () => {
        const [a] = await ctx.database.db.insert(incidentAreas).values({ name: 'Matris', geometry: { type: 'Polygon', coordinates: [[[13.0, 55.0], [13.01, 55.0], [13.01, 55.01], [13.0, 55.0]]] }, minLat: 55, minLon: 13, maxLat: 55.01, maxLon: 13.01 }).returning();
        return { method: 'DELETE', url: `/api/incident-areas/${a.id}?version=1` };
      },
    },
  ],
  'GET /api/incident-categories': [{ name: 'list', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/incident-categories' }) }],
  'POST /api/incident-categories': [
    { name: 'add a category', expect: only('admin'), prepare: () => ({ method: 'POST', url: '/api/incident-categories', payload: { key: `m_${randomBytes(4).toString('hex')}`, name: 'Matriskategori' } }) },
  ],
  'PATCH /api/incident-categories/:id': [
    {
      name: 'rename a category',
      expect: only('admin'),
      prepare: async () => ({ method: 'PATCH', url: `/api/incident-categories/${(await incidentsRepo.insertCategory(ctx.database.db, { key: `m_${randomBytes(4).toString('hex')}`, name: 'Matris' })).id}`, payload: { version: 1, name: 'Nytt namn' } }),
    },
  ],
  'GET /api/incidents': [{ name: 'list (what each may see)', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/incidents' }) }],
  'POST /api/incidents': [
    // A partner (the police) reports only where granted: not for Socialnämnden.
    { name: 'report for Socialnämnden', expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'POST', url: '/api/incidents', payload: { categoryId: await categoryId('graffiti'), description: 'Klotter', organisationId: ids.son } }) },
    { name: 'report for the police (external partner)', expect: only('admin', 'coordinator', 'reader', 'partner'), prepare: async () => ({ method: 'POST', url: '/api/incidents', payload: { categoryId: await categoryId('graffiti'), description: 'Klotter', organisationId: ids.polisen } }) },
  ],
  'GET /api/incidents/:id': [
    { name: "Socialnämnden's incident", expect: sonIncidentReaders, prepare: async () => ({ method: 'GET', url: `/api/incidents/${(await freshIncident('son')).id}` }) },
    { name: 'threat against staff at Socialnämnden (restricted)', expect: sonIncidentManagers, prepare: async () => ({ method: 'GET', url: `/api/incidents/${(await freshIncident('son', { staff: true })).id}` }) },
    { name: 'own restricted report', expect: signedIn, prepare: async (p) => ({ method: 'GET', url: `/api/incidents/${(await freshIncident('tn', { staff: true, reporterId: await userIdOf(p) })).id}` }) },
  ],
  'PATCH /api/incidents/:id': [
    { name: 'handle (status)', expect: sonIncidentManagers, prepare: async () => ({ method: 'PATCH', url: `/api/incidents/${(await freshIncident('son')).id}`, payload: { version: 1, status: 'in_progress' } }) },
  ],
  'POST /api/incidents/:id/comments': [
    { name: "comment on Socialnämnden's incident", expect: sonIncidentManagers, prepare: async () => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/comments`, payload: { text: 'Kommentar' } }) },
    { name: 'comment on own report', expect: signedIn, prepare: async (p) => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('tn', { reporterId: await userIdOf(p) })).id}/comments`, payload: { text: 'Tillägg' } }) },
  ],
  'POST /api/incidents/:id/timeline/:entryId/strike': [
    {
      name: 'strike out an entry',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son');
        return { method: 'POST', url: `/api/incidents/${inc.id}/timeline/${inc.timeline[0].id}/strike`, payload: { reason: 'Fel' } };
      },
    },
  ],
  'POST /api/incidents/:id/tasks': [
    { name: 'add a task', expect: sonIncidentManagers, prepare: async () => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/tasks`, payload: { title: 'Följ upp', dueDate: '2099-01-01' } }) },
  ],
  'PATCH /api/incident-tasks/:id': [
    {
      name: 'mark a task done',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son');
        const t = await incidentsRepo.insertTask(ctx.database.db, { incidentId: inc.id, title: 'Matris', dueDate: '2099-01-01' });
        return { method: 'PATCH', url: `/api/incident-tasks/${t.id}`, payload: { version: 1, done: true } };
      },
    },
  ],
  'POST /api/incidents/:id/clocks/:clockId/stop': [
    {
      name: 'stop the Arbetsmiljöverket clock',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son', { staff: true });
        return { method: 'POST', url: `/api/incidents/${inc.id}/clocks/${inc.clocks[0].id}/stop`, payload: { reason: 'reported' } };
      },
    },
  ],
  'PUT /api/incidents/:id/work-environment': [
    {
      name: "work-environment handling of a threat against Socialnämnden's employee",
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son', { staff: true });
        return { method: 'PUT', url: `/api/incidents/${inc.id}/work-environment`, payload: { version: null, serious: false, injury: false } };
      },
    },
  ],
  'POST /api/incidents/:id/photos': [
    { name: "photo on Socialnämnden's incident", expect: sonIncidentManagers, prepare: async () => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/photos`, ...fileUpload('bild.png', PNG) }) },
    { name: 'photo on own report', expect: signedIn, prepare: async (p) => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('tn', { reporterId: await userIdOf(p) })).id}/photos`, ...fileUpload('bild.png', PNG) }) },
  ],
  'GET /api/incidents/:id/photos/:photoId': [
    {
      name: "photo of Socialnämnden's incident",
      expect: sonIncidentReaders,
      prepare: async () => {
        const inc = await freshIncident('son');
        const photo = await incidentsRepo.insertPhoto(ctx.database.db, { incidentId: inc.id, filename: 'a.png', contentType: 'image/png', size: PNG.length, content: PNG, uploadedBy: await userIdOf('admin') });
        return { method: 'GET', url: `/api/incidents/${inc.id}/photos/${photo!.id}` };
      },
    },
  ],
  'POST /api/police-events/import': [
    {
      name: 'import a police events file',
      expect: managers,
      prepare: () => ({
        method: 'POST',
        url: '/api/police-events/import',
        ...fileUpload('events.json', Buffer.from(JSON.stringify([{ id: 1_000_000 + Math.floor(Math.random() * 1e6), datetime: '2026-08-22 9:13:04 +02:00', name: 'Skadegörelse, Lund', summary: '', url: '/x', type: 'Skadegörelse', location: { name: 'Lund', gps: '55.70466,13.191007' } }]))),
      }),
    },
  ],
  // --- Incidents: handlers, own tasks, links to program actions ---
  'GET /api/incidents/:id/handlers': [
    { name: "who may handle Socialnämnden's incident", expect: sonIncidentManagers, prepare: async () => ({ method: 'GET', url: `/api/incidents/${(await freshIncident('son')).id}/handlers` }) },
  ],
  'GET /api/incident-tasks/mine': [{ name: 'own open incident tasks', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/incident-tasks/mine' }) }],
  'GET /api/incident-link-targets': [
    { name: 'search actions to link', expect: only('admin', 'coordinator', 'officer', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: '/api/incident-link-targets?kind=action&q=Matris' }) },
    { name: 'search cases to link', expect: only('admin', 'coordinator', 'officer', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: '/api/incident-link-targets?kind=case&q=KS' }) },
  ],
  'POST /api/incidents/:id/links': [
    {
      name: "link Socialnämnden's incident to Socialnämnden's action",
      expect: sonIncidentManagers,
      prepare: async () => ({ method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/links`, payload: { kind: 'action', targetId: (await freshProgram(['son'])).actions[0].id } }),
    },
    {
      name: "link Socialnämnden's incident to Socialnämnden's case (readable by all its incident managers)",
      expect: sonIncidentManagers,
      prepare: async () => {
        const { createCase } = await import('../../helpers/factories.ts');
        const c = await createCase(ctx.database, { org: 'son', registryOrg: 'ks' });
        return { method: 'POST', url: `/api/incidents/${(await freshIncident('son')).id}/links`, payload: { kind: 'case', targetId: c.id } };
      },
    },
  ],
  'DELETE /api/incidents/:id/links/:linkId': [
    {
      name: 'remove a link',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son');
        const link = await incidentsRepo.insertLink(ctx.database.db, { incidentId: inc.id, targetKind: 'action', targetId: (await freshProgram(['son'])).actions[0].id });
        return { method: 'DELETE', url: `/api/incidents/${inc.id}/links/${link!.id}` };
      },
    },
  ],
  'GET /api/police-events': [{ name: 'the police layer', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/police-events' }) }],
  'GET /api/police-type-mappings': [{ name: 'type mapping', expect: incidentReadersSomewhere, prepare: () => ({ method: 'GET', url: '/api/police-type-mappings' }) }],
  'PUT /api/police-type-mappings': [
    { name: 'change the mapping', expect: only('admin'), prepare: async () => ({ method: 'PUT', url: '/api/police-type-mappings', payload: { items: [{ policeType: 'Skadegörelse', categoryId: await categoryId('vandalism') }] } }) },
  ],
  // --- Lägesbild (issue #6 point 6): the municipality's; read with incidents.read on it, written with incidents.manage on it ---
  'GET /api/lagesbild/weeks': [{ name: 'the weekly view', expect: lagesbildReaders, prepare: () => ({ method: 'GET', url: '/api/lagesbild/weeks?week=2025-W20' }) }],
  'PUT /api/lagesbild/weeks/:week/note': [
    { name: "write a week's first review note", expect: lagesbildWriters, prepare: () => ({ method: 'PUT', url: `/api/lagesbild/weeks/${freshWeek()}/note`, payload: { text: 'Avstämning', version: null } }) },
  ],
  'GET /api/lagesbild/reports': [{ name: 'list', expect: lagesbildReaders, prepare: () => ({ method: 'GET', url: '/api/lagesbild/reports' }) }],
  'POST /api/lagesbild/reports': [
    { name: 'create a draft', expect: lagesbildWriters, prepare: () => ({ method: 'POST', url: '/api/lagesbild/reports', payload: { title: 'Matrislägesbild', periodFrom: '2025-01-01', periodTo: '2025-04-30' } }) },
  ],
  'POST /api/lagesbild/map-extracts': [
    { name: 'make a map extract to share', expect: lagesbildWriters, prepare: () => ({ method: 'POST', url: '/api/lagesbild/map-extracts', payload: { title: 'Matrisutsnitt', bbox: '13.1,55.6,13.3,55.8' } }) },
  ],
  'GET /api/lagesbild/map-extracts': [{ name: 'list', expect: lagesbildReaders, prepare: () => ({ method: 'GET', url: '/api/lagesbild/map-extracts' }) }],
  'GET /api/lagesbild/map-extracts/:id': [{ name: 'an extract', expect: lagesbildReaders, prepare: async () => ({ method: 'GET', url: `/api/lagesbild/map-extracts/${(await freshMapExtract()).id}` }) }],
  'GET /api/lagesbild/reports/:id': [{ name: 'a report', expect: lagesbildReaders, prepare: async () => ({ method: 'GET', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}` }) }],
  'PATCH /api/lagesbild/reports/:id': [
    { name: 'edit a draft', expect: lagesbildWriters, prepare: async () => ({ method: 'PATCH', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}`, payload: { version: 1, analysisText: 'Analys' } }) },
  ],
  'POST /api/lagesbild/reports/:id/submit': [
    {
      name: 'put a draft to the executive board through a case (the case is one they may handle)',
      expect: lagesbildWriters,
      prepare: async () => ({ method: 'POST', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}/submit`, payload: { version: 1, caseId: (await createCase(ctx.database)).id, bodyOrganisationId: ids.ks } }),
    },
  ],
  'POST /api/lagesbild/reports/:id/withdraw': [
    { name: 'take a report back from the body', expect: lagesbildWriters, prepare: async () => ({ method: 'POST', url: `/api/lagesbild/reports/${(await freshLagesbild('submitted')).id}/withdraw`, payload: { version: 1 } }) },
  ],
  'PUT /api/lagesbild/reports/:id/findings': [
    { name: "save a draft's findings", expect: lagesbildWriters, prepare: async () => ({ method: 'PUT', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}/findings`, payload: { version: 1, findings: [{ text: 'Slutsats' }] } }) },
  ],
  'GET /api/lagesbild/findings': [{ name: 'the findings to link actions to', expect: lagesbildReaders, prepare: () => ({ method: 'GET', url: '/api/lagesbild/findings' }) }],
  'GET /api/lagesbild/crime-statistics': [{ name: 'imported crime statistics (public data, read with the lägesbild)', expect: lagesbildReaders, prepare: () => ({ method: 'GET', url: '/api/lagesbild/crime-statistics' }) }],
  'POST /api/lagesbild/crime-statistics/import': [
    { name: "import Brå's reported crimes", expect: lagesbildWriters, prepare: () => ({ method: 'POST', url: '/api/lagesbild/crime-statistics/import?kind=reported', ...crimeStatsFile() }) },
  ],
  // The action plan's link to the findings (routes of the program module, kept here with the findings).
  'GET /api/actions/:id/findings': [
    { name: "the findings Socialnämnden's action answers", expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/actions/${(await freshCrimePreventionAction()).id}/findings` }) },
  ],
  'PUT /api/actions/:id/findings': [
    {
      name: 'link an action of the action plan to a finding (program.manage on the plan, and the finding readable)',
      expect: managers,
      prepare: async () => ({ method: 'PUT', url: `/api/actions/${(await freshCrimePreventionAction()).id}/findings`, payload: { findingIds: [(await freshFinding()).id] } }),
    },
  ],
  'POST /api/lagesbild/reports/:id/new-version': [
    { name: 'start a new version of an adopted report', expect: lagesbildWriters, prepare: async () => ({ method: 'POST', url: `/api/lagesbild/reports/${(await freshLagesbild('adopted')).id}/new-version`, payload: { version: 1 } }) },
  ],
  'GET /api/lagesbild/reports/:id/versions': [{ name: 'versions', expect: lagesbildReaders, prepare: async () => ({ method: 'GET', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}/versions` }) }],
  'GET /api/lagesbild/reports/:id/versions/:version': [
    { name: 'one version', expect: lagesbildReaders, prepare: async () => ({ method: 'GET', url: `/api/lagesbild/reports/${(await freshLagesbild()).id}/versions/1` }) },
  ],
  // Generated files of this module's kinds (each kind checks its own rights).
  'POST /api/exports': [
    { name: 'lägesbild report as PDF', expect: lagesbildReaders, prepare: async () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'incidents.lagesbild-report', format: 'pdf', params: { reportId: (await freshLagesbild()).id } } }) },
    { name: 'incident statistics as XLSX (over what each may see)', expect: incidentReadersSomewhere, prepare: () => ({ method: 'POST', url: '/api/exports', payload: { kind: 'incidents.statistics', format: 'xlsx', params: { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' } } }) },
  ],
};
