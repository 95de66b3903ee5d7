import type { FastifyRequest } from 'fastify';
import { idParams } from '../../../shared/schemas/common.ts';
import {
  crimeStatImportQuery,
  crimeStatImportResult,
  crimeStatList,
  crimeStatQuery,
  findingOptions,
  saveFindings,
  submitLagesbildReport,
  createLagesbildReport,
  createMapExtract,
  mapExtract,
  mapExtractList,
  lagesbildReport,
  lagesbildReportList,
  lagesbildVersion,
  lagesbildVersionList,
  reportVersionParams,
  saveWeekNote,
  updateLagesbildReport,
  versionBody,
  weekNote,
  weekParams,
  weeklyQuery,
  weeklyView,
} from '../../../shared/schemas/lagesbild.ts';
import { contextOf, requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { localeOf } from '../../lib/i18n.ts';
import type { Db } from '../../db/client.ts';
import type { Config } from '../../config.ts';
import { readUpload } from '../../lib/uploads.ts';
import { todayInStockholm } from '../../lib/time.ts';
import { createLagesbildCasework } from './lagesbild.casework.ts';
import { createCrimeStatistics } from './lagesbild.crimestats.ts';
import { createLagesbildReports } from './incidents.lagesbild.ts';
import { createWeeklyLagesbild } from './incidents.weekly.ts';
import { createMapExtracts } from './incidents.mapextracts.ts';
import { incidentPolicies } from './incidents.policy.ts';

const tags = ['Händelser och lägesbild'];
/**
 * The lägesbild is the municipality's: read with incidents.read on the municipality (readers, coordinators,
 * administrators there), written with incidents.manage on it. Counts cover the incidents the reader may see.
 */
const reading = { policy: incidentPolicies.lagesbildReading };
const managing = { policy: incidentPolicies.lagesbildManaging };
const localeOfReq = (req: FastifyRequest) => localeOf(req.headers['accept-language'], (req.actor as { locale?: string } | undefined)?.locale);

export function lagesbildRoutes(app: App, { db, config }: { db: Db; config: Config }) {
  const weekly = createWeeklyLagesbild({ db });
  const reports = createLagesbildReports({ db });
  const casework = createLagesbildCasework({ db });
  const statistics = createCrimeStatistics({
    db,
    municipalityCodes: config.MUNICIPALITY_CODES.split(',').map((c) => c.trim()),
    columns: config.CRIME_STATS_COLUMNS,
    thisYear: () => Number(todayInStockholm().slice(0, 4)),
  });
  const extracts = createMapExtracts({ db });

  app.get(
    '/api/lagesbild/weeks',
    {
      config: reading,
      schema: {
        tags,
        summary: 'Veckolägesbild (EST): en ISO-vecka mot snittet av veckorna före, per kategori och område',
        description: 'week=2026-W47 (standard: senaste hela veckan), compare=antal veckor i jämförelsen (1–12, standard 4). Kommunens händelser och polisens händelser (via kopplingen typ → kategori).',
        querystring: weeklyQuery,
        response: { 200: weeklyView, ...errorResponses },
      },
    },
    async (req) => weekly.view(requireActor(req), req.query),
  );
  app.put(
    '/api/lagesbild/weeks/:week/note',
    {
      config: managing,
      schema: {
        tags,
        summary: 'Spara anteckning från veckans avstämning',
        description: 'version: null för veckans första anteckning, annars versionen ändringen bygger på (409 VERSION_CONFLICT om någon hunnit före).',
        params: weekParams,
        body: saveWeekNote,
        response: { 200: weekNote, ...errorResponses },
      },
    },
    async (req) => weekly.saveNote(contextOf(req), requireActor(req), req.params.week, req.body),
  );

  app.get(
    '/api/lagesbild/reports',
    { config: reading, schema: { tags, summary: 'Lägesbilder enligt lagen (2023:196)', response: { 200: lagesbildReportList, ...errorResponses } } },
    async (req) => reports.list(requireActor(req)),
  );
  app.post(
    '/api/lagesbild/reports',
    { config: managing, schema: { tags, summary: 'Skapa lägesbild (utkast)', body: createLagesbildReport, response: { 201: lagesbildReport, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await reports.create(contextOf(req), requireActor(req), req.body, localeOfReq(req))),
  );
  app.get(
    '/api/lagesbild/reports/:id',
    { config: reading, schema: { tags, summary: 'Hämta lägesbild med de genererade tabellerna i del 1', params: idParams, response: { 200: lagesbildReport, ...errorResponses } } },
    async (req) => reports.get(requireActor(req), req.params.id, localeOfReq(req), contextOf(req)),
  );
  app.patch(
    '/api/lagesbild/reports/:id',
    {
      config: managing,
      schema: { tags, summary: 'Ändra lägesbild (bara utkast; varje sparning blir en version)', params: idParams, body: updateLagesbildReport, response: { 200: lagesbildReport, ...errorResponses } },
    },
    async (req) => reports.update(contextOf(req), requireActor(req), req.params.id, req.body, localeOfReq(req)),
  );
  app.post(
    '/api/lagesbild/reports/:id/submit',
    {
      config: managing,
      schema: {
        tags,
        summary: 'Lägg fram lägesbilden för beslut i ett ärende',
        description:
          'Registrerar lägesbilden som upprättad handling i ärendet och skapar ett beslutsförslag för organet med att-satsen "att fastställa lägesbilden …". Organets beslut fastställer och låser den. Till dess kan den inte ändras (409). Kräver att du får handlägga ärendet.',
        params: idParams,
        body: submitLagesbildReport,
        response: { 200: lagesbildReport, ...errorResponses },
      },
    },
    async (req) => casework.submit(contextOf(req), requireActor(req), req.params.id, req.body, localeOfReq(req)),
  );
  app.post(
    '/api/lagesbild/reports/:id/withdraw',
    { config: managing, schema: { tags, summary: 'Ta tillbaka lägesbilden till utkast innan organet beslutat', params: idParams, body: versionBody, response: { 200: lagesbildReport, ...errorResponses } } },
    async (req) => casework.withdraw(contextOf(req), requireActor(req), req.params.id, req.body.version, localeOfReq(req)),
  );
  app.put(
    '/api/lagesbild/reports/:id/findings',
    {
      config: managing,
      schema: { tags, summary: 'Spara analysens slutsatser (bara utkast; id behåller slutsatsen och åtgärderna som är kopplade till den)', params: idParams, body: saveFindings, response: { 200: lagesbildReport, ...errorResponses } },
    },
    async (req) => casework.saveFindings(contextOf(req), requireActor(req), req.params.id, req.body, localeOfReq(req)),
  );
  app.get(
    '/api/lagesbild/findings',
    { config: reading, schema: { tags, summary: 'Lägesbildernas slutsatser (att koppla åtgärder i åtgärdsplanen till)', response: { 200: findingOptions, ...errorResponses } } },
    async (req) => casework.findingOptions(requireActor(req)),
  );
  app.get(
    '/api/lagesbild/crime-statistics',
    {
      config: reading,
      schema: { tags, summary: 'Importerad brottsstatistik (anmälda brott, trygghetsmätning): offentliga uppgifter', querystring: crimeStatQuery, response: { 200: crimeStatList, ...errorResponses } },
    },
    async (req) => statistics.list(req.query.kind),
  );
  app.post(
    '/api/lagesbild/crime-statistics/import',
    {
      config: managing,
      schema: {
        tags,
        summary: 'Importera brottsstatistik från XLSX/CSV (kind=reported: anmälda brott från Brå; kind=survey: trygghetsmätning i procent)',
        description:
          'Skicka filen som multipart/form-data i fältet "file": kommunkod, kategori (brottstyp eller fråga), år och värde per rad; kolumnnamnen styrs av CRIME_STATS_COLUMNS. dryRun=true: förhandsgranskning. Annars allt eller inget: en rad med okänd kommunkod eller fel år ger 400 IMPORT_INVALID och ingenting ändras.',
        consumes: ['multipart/form-data'],
        querystring: crimeStatImportQuery,
        response: { 200: crimeStatImportResult, ...errorResponses },
      },
    },
    async (req) => {
      const file = await readUpload(req, { maxBytes: 5 * 1024 * 1024, accept: ['xlsx', 'csv'] });
      const locale = localeOf(req.headers['accept-language'], (req.actor as { locale?: string } | undefined)?.locale);
      return statistics.importFile(contextOf(req), requireActor(req), req.query.kind, file.data, { dryRun: req.query.dryRun, source: req.query.source, locale });
    },
  );
  app.post(
    '/api/lagesbild/reports/:id/new-version',
    {
      config: managing,
      schema: { tags, summary: 'Starta ny version av en fastställd lägesbild (blir utkast; den fastställda finns kvar bland versionerna)', params: idParams, body: versionBody, response: { 200: lagesbildReport, ...errorResponses } },
    },
    async (req) => reports.reopen(contextOf(req), requireActor(req), req.params.id, req.body.version, localeOfReq(req)),
  );
  app.get(
    '/api/lagesbild/reports/:id/versions',
    { config: reading, schema: { tags, summary: 'Lägesbildens sparade versioner', params: idParams, response: { 200: lagesbildVersionList, ...errorResponses } } },
    async (req) => reports.versions(requireActor(req), req.params.id),
  );
  app.get(
    '/api/lagesbild/reports/:id/versions/:version',
    { config: reading, schema: { tags, summary: 'En sparad version av lägesbilden', params: reportVersionParams, response: { 200: lagesbildVersion, ...errorResponses } } },
    async (req) => reports.version(requireActor(req), req.params.id, req.params.version, localeOfReq(req)),
  );
  app.post(
    '/api/lagesbild/map-extracts',
    {
      config: { policy: incidentPolicies.mapExtracting },
      schema: {
        tags,
        summary: 'Skapa kartutsnitt att dela med samverkanspart',
        description: 'Tar de öppna händelserna (inte begränsade eller sekretessmarkerade) i rutan, perioden och kategorin som de ser ut nu: kategori, tid och position. Högst 2 000.',
        body: createMapExtract,
        response: { 201: mapExtract, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await extracts.create(contextOf(req), requireActor(req), req.body)),
  );
  app.get('/api/lagesbild/map-extracts', { config: reading, schema: { tags, summary: 'Kartutsnitt', response: { 200: mapExtractList, ...errorResponses } } }, async (req) => extracts.list(requireActor(req)));
  app.get(
    '/api/lagesbild/map-extracts/:id',
    { config: reading, schema: { tags, summary: 'Ett kartutsnitt med sina punkter', params: idParams, response: { 200: mapExtract, ...errorResponses } } },
    async (req) => extracts.get(requireActor(req), req.params.id),
  );
}
