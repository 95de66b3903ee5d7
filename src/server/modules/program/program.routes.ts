import { z } from 'zod';
import { idParams } from '../../../shared/schemas/common.ts';
import {
  closeRound,
  createIndicatorValue,
  deleteIndicatorValue,
  indicatorImportResult,
  indicatorTrend,
  indicatorValue,
  updateIndicatorValue,
  enterRoundIndicator,
  roundIndicatorList,
  roundIndicatorParams,
  roundIndicatorQuery,
  createFocusArea,
  createGoal,
  createPlanAction,
  createProgram,
  createRound,
  focusArea,
  goal,
  history,
  documentModel,
  attachmentParams,
  importQuery,
  importResult,
  planAction,
  planActionList,
  planActionQuery,
  program,
  programList,
  programRollup,
  report,
  reportList,
  reportQuery,
  returnReport,
  rollupQuery,
  round,
  roundList,
  roundOverview,
  saveReport,
  updateFocusArea,
  updateGoal,
  updatePlanAction,
  updateProgram,
} from '../../../shared/schemas/program.ts';
import { contextOf, requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { ATTACHMENT_MAX_BYTES, type ProgramService } from './program.service.ts';
import type { PlanImporter } from './program.import.ts';
import type { IndicatorImporter } from './program.indicators.import.ts';
import { CONTENT_TYPE_OF, readUpload } from '../../lib/uploads.ts';
import { localeOf } from '../../lib/i18n.ts';
import { authorizeFollowUpReport, buildFollowUpModel, followUpData } from './program.report.ts';
import { loadOrgTree } from '../../lib/context.ts';
import type { Db } from '../../db/client.ts';
import { programPolicies } from './program.policy.ts';
import { logIfSecret } from '../../access/index.ts';

const tags = ['Program och uppföljning'];
/**
 * Route policies gate on holding the action somewhere; the service then checks it on the organisation
 * that owns the subject (the program's owner, the report's organisation) and filters lists in SQL.
 */
const read = { policy: programPolicies.read };
const manage = { policy: programPolicies.manage };
const followUp = { policy: programPolicies.followUp };
const reporting = { policy: programPolicies.reporting };

export const programDetail = program.extend({ focusAreas: z.array(focusArea.extend({ goals: z.array(goal) })) });

export function programRoutes(app: App, { programs, importer, indicatorImporter, db }: { programs: ProgramService; importer: PlanImporter; indicatorImporter: IndicatorImporter; db: Db }) {
  app.get('/api/programs', { config: read, schema: { tags, summary: 'Lista program och planer', response: { 200: programList, ...errorResponses } } }, async (req) => ({
    items: await programs.listPrograms(requireActor(req)),
  }));
  app.get(
    '/api/programs/:id',
    { config: read, schema: { tags, summary: 'Hämta program med fokusområden och mål', params: idParams, response: { 200: programDetail, ...errorResponses } } },
    async (req) => programs.getProgram(requireActor(req), req.params.id),
  );
  app.post(
    '/api/programs',
    { config: manage, schema: { tags, summary: 'Skapa program eller plan', body: createProgram, response: { 201: program, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await programs.createProgram(contextOf(req), requireActor(req), req.body)),
  );
  app.patch(
    '/api/programs/:id',
    { config: manage, schema: { tags, summary: 'Ändra program eller plan', params: idParams, body: updateProgram, response: { 200: program, ...errorResponses } } },
    async (req) => programs.updateProgram(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/programs/:id/rollup',
    { config: read, schema: { tags, summary: 'Sammanvägd genomförandegrad och måluppfyllelse', params: idParams, querystring: rollupQuery, response: { 200: programRollup, ...errorResponses } } },
    async (req) => programs.rollup(requireActor(req), req.params.id, req.query),
  );

  app.post(
    '/api/programs/:id/focus-areas',
    { config: manage, schema: { tags, summary: 'Skapa fokusområde', params: idParams, body: createFocusArea, response: { 201: focusArea, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await programs.createFocusArea(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/focus-areas/:id',
    { config: manage, schema: { tags, summary: 'Ändra fokusområde', params: idParams, body: updateFocusArea, response: { 200: focusArea, ...errorResponses } } },
    async (req) => programs.updateFocusArea(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/focus-areas/:id/goals',
    { config: manage, schema: { tags, summary: 'Skapa mål', params: idParams, body: createGoal, response: { 201: goal, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await programs.createGoal(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/goals/:id',
    { config: manage, schema: { tags, summary: 'Ändra mål', params: idParams, body: updateGoal, response: { 200: goal, ...errorResponses } } },
    async (req) => programs.updateGoal(contextOf(req), requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/api/actions',
    { config: read, schema: { tags, summary: 'Lista åtgärder', querystring: planActionQuery, response: { 200: planActionList, ...errorResponses } } },
    async (req) => programs.listActions(requireActor(req), req.query),
  );
  app.get(
    '/api/actions/:id',
    { config: read, schema: { tags, summary: 'Hämta åtgärd', params: idParams, response: { 200: planAction, ...errorResponses } } },
    async (req) => programs.getAction(requireActor(req), req.params.id),
  );
  app.get(
    '/api/actions/:id/history',
    { config: read, schema: { tags, summary: 'Åtgärdens historik', params: idParams, response: { 200: history, ...errorResponses } } },
    async (req) => programs.actionHistory(requireActor(req), req.params.id),
  );
  app.post(
    '/api/actions',
    { config: manage, schema: { tags, summary: 'Skapa åtgärd', body: createPlanAction, response: { 201: planAction, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await programs.createAction(contextOf(req), requireActor(req), req.body)),
  );
  app.patch(
    '/api/actions/:id',
    { config: manage, schema: { tags, summary: 'Ändra åtgärd', params: idParams, body: updatePlanAction, response: { 200: planAction, ...errorResponses } } },
    async (req) => programs.updateAction(contextOf(req), requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/api/follow-up-rounds',
    {
      config: read,
      schema: { tags, summary: 'Lista uppföljningsomgångar', querystring: z.object({ programId: z.uuid().optional() }), response: { 200: roundList, ...errorResponses } },
    },
    async (req) => programs.listRounds(requireActor(req), req.query.programId),
  );
  app.post(
    '/api/follow-up-rounds',
    { config: followUp, schema: { tags, summary: 'Öppna uppföljningsomgång', body: createRound, response: { 201: round, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await programs.openRound(contextOf(req), requireActor(req), req.body)),
  );
  app.get(
    '/api/follow-up-rounds/:id/overview',
    { config: read, schema: { tags, summary: 'Rapporteringsläge per organisation', params: idParams, response: { 200: roundOverview, ...errorResponses } } },
    async (req) => programs.roundOverview(requireActor(req), req.params.id),
  );
  app.post(
    '/api/follow-up-rounds/:id/close',
    { config: followUp, schema: { tags, summary: 'Stäng uppföljningsomgång', params: idParams, body: closeRound, response: { 200: round, ...errorResponses } } },
    async (req) => programs.closeRound(contextOf(req), requireActor(req), req.params.id, req.body.version),
  );

  app.get(
    '/api/follow-up-reports',
    { config: reporting, schema: { tags, summary: 'Lista rapporter (mine=true: Mina uppgifter)', querystring: reportQuery, response: { 200: reportList, ...errorResponses } } },
    async (req) => programs.listReports(requireActor(req), req.query),
  );
  app.get(
    '/api/follow-up-reports/:id',
    { config: reporting, schema: { tags, summary: 'Hämta rapport', params: idParams, response: { 200: report, ...errorResponses } } },
    async (req) => programs.getReport(requireActor(req), req.params.id),
  );
  app.put(
    '/api/follow-up-reports/:id',
    { config: reporting, schema: { tags, summary: 'Spara utkast', params: idParams, body: saveReport, response: { 200: report, ...errorResponses } } },
    async (req) => programs.saveReport(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/follow-up-reports/:id/submit',
    { config: reporting, schema: { tags, summary: 'Skicka in rapport', params: idParams, body: saveReport, response: { 200: report, ...errorResponses } } },
    async (req) => programs.saveReport(contextOf(req), requireActor(req), req.params.id, req.body, true),
  );
  app.post(
    '/api/follow-up-reports/:id/return',
    { config: followUp, schema: { tags, summary: 'Skicka tillbaka rapport med kommentar', params: idParams, body: returnReport, response: { 200: report, ...errorResponses } } },
    async (req) => programs.returnReport(contextOf(req), requireActor(req), req.params.id, req.body.version, req.body.comment),
  );

  app.post(
    '/api/programs/:id/import',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Importera åtgärder från XLSX/CSV (dryRun=true: förhandsgranskning; annars allt eller inget)',
        description: 'Skicka filen som multipart/form-data i fältet "file".',
        consumes: ['multipart/form-data'],
        params: idParams,
        querystring: importQuery,
        response: { 200: importResult, ...errorResponses },
      },
    },
    async (req) => {
      const file = await readUpload(req, { maxBytes: 5 * 1024 * 1024, accept: ['xlsx', 'csv'] });
      const locale = localeOf(req.headers['accept-language'], (req.actor as { locale?: string } | undefined)?.locale);
      return importer.importPlan(contextOf(req), requireActor(req), req.params.id, file.data, { dryRun: req.query.dryRun, locale });
    },
  );

  app.get(
    '/api/follow-up-rounds/:id/document',
    {
      config: read,
      schema: { tags, summary: 'Uppföljningsrapporten som data (utskriftsvänlig sida; samma innehåll som DOCX/PDF)', params: idParams, response: { 200: documentModel, ...errorResponses } },
    },
    async (req) => {
      const actor = requireActor(req);
      await authorizeFollowUpReport(db, actor, await loadOrgTree(db), { roundId: req.params.id });
      const locale = localeOf(req.headers['accept-language'], (req.actor as { locale?: string } | undefined)?.locale);
      return buildFollowUpModel(await followUpData(db, actor, req.params.id), locale).model;
    },
  );

  app.post(
    '/api/follow-up-reports/:id/attachments',
    {
      config: reporting,
      schema: {
        tags,
        summary: 'Bifoga en fil till rapporten (PDF, Word, Excel eller bild; högst 10 MB)',
        description: 'Skicka filen som multipart/form-data i fältet "file".',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: report, ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await readUpload(req, { maxBytes: ATTACHMENT_MAX_BYTES, accept: ['pdf', 'docx', 'xlsx', 'png', 'jpeg', 'gif', 'webp'] });
      const saved = await programs.addAttachment(contextOf(req), requireActor(req), req.params.id, { filename: file.filename, data: file.data, contentType: CONTENT_TYPE_OF[file.kind] });
      return reply.code(201).send(saved);
    },
  );
  app.get(
    '/api/follow-up-reports/:id/attachments/:attachmentId',
    { config: reporting, schema: { tags, summary: 'Hämta en bilaga', params: attachmentParams, response: { 200: z.any().describe('Filen'), ...errorResponses } } },
    async (req, reply) => {
      const a = await programs.getAttachment(requireActor(req), req.params.id, req.params.attachmentId);
      // A secrecy-marked attachment reaches only those with the right; each download is in the read log.
      await logIfSecret(db, contextOf(req), 'report_attachment', req.params.attachmentId, 'download');
      return reply
        .header('content-type', a.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(a.content);
    },
  );
  app.delete(
    '/api/follow-up-reports/:id/attachments/:attachmentId',
    { config: reporting, schema: { tags, summary: 'Ta bort en bilaga (medan rapporten kan ändras)', params: attachmentParams, response: { 200: report, ...errorResponses } } },
    async (req) => programs.removeAttachment(contextOf(req), requireActor(req), req.params.id, req.params.attachmentId),
  );

  // --- Measured indicators (issue #11 item 4) ---
  app.get(
    '/api/goals/:id/indicator',
    { config: read, schema: { tags, summary: 'Målets indikator: mätvärden, trend mot utgångsvärde och målvärde, måluppfyllelse', params: idParams, response: { 200: indicatorTrend, ...errorResponses } } },
    async (req) => programs.indicatorTrend(requireActor(req), req.params.id),
  );
  app.post(
    '/api/goals/:id/indicator-values',
    { config: manage, schema: { tags, summary: 'Registrera ett mätvärde för målets indikator', params: idParams, body: createIndicatorValue, response: { 201: indicatorValue, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await programs.addIndicatorValue(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/indicator-values/:id',
    { config: manage, schema: { tags, summary: 'Ändra ett mätvärde', params: idParams, body: updateIndicatorValue, response: { 200: indicatorValue, ...errorResponses } } },
    async (req) => programs.updateIndicatorValue(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/indicator-values/:id',
    { config: manage, schema: { tags, summary: 'Ta bort ett mätvärde', params: idParams, querystring: deleteIndicatorValue, response: { 200: indicatorTrend, ...errorResponses } } },
    async (req) => programs.deleteIndicatorValue(contextOf(req), requireActor(req), req.params.id, req.query.version),
  );
  // Values entered in a follow-up round: by the organisation that measures the indicator, or the coordinator.
  app.get(
    '/api/follow-up-rounds/:id/indicators',
    {
      config: reporting,
      schema: { tags, summary: 'Omgångens indikatorer: de du rapporterar (mine=true) eller alla du följer upp, med omgångens mätvärde', params: idParams, querystring: roundIndicatorQuery, response: { 200: roundIndicatorList, ...errorResponses } },
    },
    async (req) => programs.roundIndicators(requireActor(req), req.params.id, { mine: req.query.mine }),
  );
  app.put(
    '/api/follow-up-rounds/:id/indicators/:goalId',
    {
      config: reporting,
      schema: { tags, summary: 'Registrera (eller ersätt) omgångens mätvärde för ett måls indikator', params: roundIndicatorParams, body: enterRoundIndicator, response: { 200: indicatorValue, ...errorResponses } },
    },
    async (req) => programs.enterRoundIndicator(contextOf(req), requireActor(req), req.params.id, req.params.goalId, req.body),
  );
  app.post(
    '/api/programs/:id/indicator-import',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Importera nyckeltal (Koladas export: kommunkod, KPI, år, värde) från XLSX/CSV (dryRun=true: förhandsgranskning; annars allt eller inget)',
        description: 'Skicka filen som multipart/form-data i fältet "file". KPI-id kopplas till målet vars indikator har det.',
        consumes: ['multipart/form-data'],
        params: idParams,
        querystring: importQuery,
        response: { 200: indicatorImportResult, ...errorResponses },
      },
    },
    async (req) => {
      const file = await readUpload(req, { maxBytes: 5 * 1024 * 1024, accept: ['xlsx', 'csv'] });
      const locale = localeOf(req.headers['accept-language'], (req.actor as { locale?: string } | undefined)?.locale);
      return indicatorImporter.importIndicators(contextOf(req), requireActor(req), req.params.id, file.data, { dryRun: req.query.dryRun, locale });
    },
  );
}
