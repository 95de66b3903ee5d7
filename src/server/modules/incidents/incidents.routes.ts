import { idParams } from '../../../shared/schemas/common.ts';
import {
  categoryList,
  category,
  clockParams,
  comment,
  createCategory,
  createIncident,
  createTask,
  incidentDetail,
  incidentList,
  incidentQuery,
  photo,
  photoParams,
  policeEventList,
  policeEventQuery,
  policeImportResult,
  saveTypeMappings,
  stopClock,
  saveWorkEnvironment,
  strike,
  task,
  timelineParams,
  typeMappingList,
  mapQuery,
  mapResult,
  mapSettings,
  basemapTileParams,
  area,
  areaList,
  createArea,
  deleteAreaQuery,
  updateArea,
  statsQuery,
  statsResult,
  updateCategory,
  updateIncident,
  updateTask,
  createLink,
  incidentPeople,
  linkParams,
  linkTargetList,
  linkTargetQuery,
  myIncidentTasks,
} from '../../../shared/schemas/incidents.ts';
import { z } from 'zod';
import { contextOf, requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { readUpload } from '../../lib/uploads.ts';
import { PHOTO_MAX_BYTES, type IncidentService } from './incidents.service.ts';
import type { createPoliceImporter } from './incidents.police.ts';
import type { createAreaService } from './incidents.areas.ts';
import { okResponse } from '../../../shared/schemas/common.ts';
import { notFound } from '../../lib/errors.ts';
import type { Basemaps } from './incidents.basemap.ts';
import type { createIncidentStats } from './incidents.stats.ts';
import type { createIncidentMap } from './incidents.map.ts';
import { incidentPolicies } from './incidents.policy.ts';

const tags = ['Händelser och lägesbild'];
/**
 * Route policies gate on holding the action somewhere; the service checks visibility and management on
 * the incident's organisation (invisible → 404, visible but not managed → 403) and filters lists in SQL.
 */
const reporting = { policy: incidentPolicies.reporting };
const reading = { policy: incidentPolicies.reading };
const managing = { policy: incidentPolicies.managing };
/** Municipality-wide settings and the police import: on the municipality itself. */
const configure = { policy: incidentPolicies.configure };
const importing = { policy: incidentPolicies.importing };

export function incidentRoutes(
  app: App,
  {
    incidents,
    police,
    areas,
    stats,
    map,
    basemaps,
  }: {
    incidents: IncidentService;
    police: ReturnType<typeof createPoliceImporter>;
    areas: ReturnType<typeof createAreaService>;
    stats: ReturnType<typeof createIncidentStats>;
    map: ReturnType<typeof createIncidentMap>;
    basemaps: Basemaps;
  },
) {
  app.get(
    '/api/incident-areas',
    { config: reading, schema: { tags, summary: 'Områden (stadsdelar, skolområden) som GeoJSON', response: { 200: areaList, ...errorResponses } } },
    async () => areas.list(),
  );
  app.post(
    '/api/incident-areas',
    { config: configure, schema: { tags, summary: 'Skapa område från GeoJSON-polygon', body: createArea, response: { 201: area, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await areas.create(contextOf(req), req.body)),
  );
  app.patch(
    '/api/incident-areas/:id',
    { config: configure, schema: { tags, summary: 'Ändra område', params: idParams, body: updateArea, response: { 200: area, ...errorResponses } } },
    async (req) => areas.update(contextOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/incident-areas/:id',
    { config: configure, schema: { tags, summary: 'Ta bort område (händelserna flyttas till annat område som innehåller dem, annars inget)', params: idParams, querystring: deleteAreaQuery, response: { 200: okResponse, ...errorResponses } } },
    async (req) => areas.remove(contextOf(req), req.params.id, req.query.version),
  );
  app.get(
    '/api/incident-map/settings',
    { config: reading, schema: { tags, summary: 'Kartans inställningar: bakgrundskartan (webbmercator-rutor, WMTS i SWEREF 99 TM, egen PMTiles-fil eller ingen → bara kommungränsen)', response: { 200: mapSettings, ...errorResponses } } },
    async () => ({ basemap: await basemaps.settings() }),
  );
  app.get(
    '/api/basemap/:z/:x/:y',
    {
      config: reading,
      schema: {
        tags,
        summary: 'En ruta ur den egna bakgrundskartan (PMTiles-filen i MAP_PMTILES)',
        description: 'Rasterbild (PNG, JPEG, WebP eller AVIF) i webbmercator-rutnätet. 404 om filen saknar rutan eller ingen PMTiles-fil är inställd.',
        params: basemapTileParams,
        response: { 200: z.any().describe('Bilden'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const t = await basemaps.tile(req.params.z, req.params.x, req.params.y);
      if (!t) throw notFound();
      return reply.header('content-type', t.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(t.data);
    },
  );
  app.get(
    '/api/incident-statistics',
    { config: reading, schema: { tags, summary: 'Statistik: antal per kategori × månad × område, med samma period föregående år', querystring: statsQuery, response: { 200: statsResult, ...errorResponses } } },
    async (req) => stats.stats(requireActor(req), req.query),
  );

  app.get(
    '/api/incident-map',
    {
      config: reading,
      schema: {
        tags,
        summary: 'Karta: kluster (eller enskilda punkter vid hög zoom) inom kartutsnittet',
        description: 'bbox=väst,syd,öst,nord (WGS84), zoom=0–22. Händelser (det du får se, som i listan) eller polisens händelser (source=police). Från zoom 15: enskilda punkter.',
        querystring: mapQuery,
        response: { 200: mapResult, ...errorResponses },
      },
    },
    async (req) => map.map(requireActor(req), req.query),
  );
  app.get(
    '/api/incident-categories',
    { config: reporting, schema: { tags, summary: 'Händelsekategorier', response: { 200: categoryList, ...errorResponses } } },
    async () => ({ items: await incidents.listCategories() }),
  );
  app.post(
    '/api/incident-categories',
    { config: configure, schema: { tags, summary: 'Skapa händelsekategori', body: createCategory, response: { 201: category, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await incidents.createCategory(contextOf(req), req.body)),
  );
  app.patch(
    '/api/incident-categories/:id',
    { config: configure, schema: { tags, summary: 'Ändra händelsekategori (namn, aktiv, fält)', params: idParams, body: updateCategory, response: { 200: category, ...errorResponses } } },
    async (req) => incidents.updateCategory(contextOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/incidents',
    { config: reporting, schema: { tags, summary: 'Lista händelser (det du får se; mine=true: dina egna rapporter)', querystring: incidentQuery, response: { 200: incidentList, ...errorResponses } } },
    async (req) => incidents.list(requireActor(req), req.query),
  );
  app.post(
    '/api/incidents',
    { config: reporting, schema: { tags, summary: 'Rapportera händelse', body: createIncident, response: { 201: incidentDetail, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await incidents.report(contextOf(req), requireActor(req), req.body)),
  );
  app.get(
    '/api/incidents/:id',
    { config: reporting, schema: { tags, summary: 'Hämta händelse med tidslinje, uppgifter, bilder och klockor', params: idParams, response: { 200: incidentDetail, ...errorResponses } } },
    async (req) => incidents.get(requireActor(req), req.params.id, contextOf(req)),
  );
  app.patch(
    '/api/incidents/:id',
    { config: managing, schema: { tags, summary: 'Handlägg händelse (status, allvarlighet, ansvarig …)', params: idParams, body: updateIncident, response: { 200: incidentDetail, ...errorResponses } } },
    async (req) => incidents.update(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/incidents/:id/comments',
    { config: reporting, schema: { tags, summary: 'Kommentera i tidslinjen', params: idParams, body: comment, response: { 201: incidentDetail, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await incidents.comment(contextOf(req), requireActor(req), req.params.id, req.body.text)),
  );
  app.post(
    '/api/incidents/:id/timeline/:entryId/strike',
    { config: managing, schema: { tags, summary: 'Stryk en post i tidslinjen (med skäl; raderas aldrig)', params: timelineParams, body: strike, response: { 200: incidentDetail, ...errorResponses } } },
    async (req) => incidents.strike(contextOf(req), requireActor(req), req.params.id, req.params.entryId, req.body.reason),
  );
  app.post(
    '/api/incidents/:id/tasks',
    { config: managing, schema: { tags, summary: 'Lägg till uppföljningsuppgift', params: idParams, body: createTask, response: { 201: task, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await incidents.addTask(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/incident-tasks/:id',
    { config: managing, schema: { tags, summary: 'Ändra eller klarmarkera uppföljningsuppgift', params: idParams, body: updateTask, response: { 200: task, ...errorResponses } } },
    async (req) => incidents.updateTask(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  // --- Handlers, own tasks, links to program actions and cases ---
  app.get(
    '/api/incidents/:id/handlers',
    { config: managing, schema: { tags, summary: 'Personer som får handlägga händelsen (val av ansvarig och av uppgifters mottagare)', params: idParams, response: { 200: incidentPeople, ...errorResponses } } },
    async (req) => incidents.handlers(requireActor(req), req.params.id),
  );
  app.get(
    '/api/incident-tasks/mine',
    { config: reporting, schema: { tags, summary: 'Mina öppna uppföljningsuppgifter på händelser', response: { 200: myIncidentTasks, ...errorResponses } } },
    async (req) => incidents.myTasks(requireActor(req)),
  );
  app.get(
    '/api/incident-link-targets',
    { config: managing, schema: { tags, summary: 'Sök det en händelse kan kopplas till (åtgärder och ärenden du får se), på titel eller diarienummer', querystring: linkTargetQuery, response: { 200: linkTargetList, ...errorResponses } } },
    async (req) => incidents.linkTargets(requireActor(req), req.query),
  );
  app.post(
    '/api/incidents/:id/links',
    { config: managing, schema: { tags, summary: 'Koppla händelsen till en åtgärd eller ett ärende', params: idParams, body: createLink, response: { 201: incidentDetail, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await incidents.addLink(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/incidents/:id/links/:linkId',
    { config: managing, schema: { tags, summary: 'Ta bort en koppling (finns kvar i tidslinjen)', params: linkParams, response: { 200: incidentDetail, ...errorResponses } } },
    async (req) => incidents.removeLink(contextOf(req), requireActor(req), req.params.id, req.params.linkId),
  );
  app.post(
    '/api/incidents/:id/clocks/:clockId/stop',
    { config: managing, schema: { tags, summary: 'Stoppa en anmälningsfrist (t.ex. anmäld till Arbetsmiljöverket)', params: clockParams, body: stopClock, response: { 200: incidentDetail, ...errorResponses } } },
    async (req) => incidents.stopClock(contextOf(req), requireActor(req), req.params.id, req.params.clockId, req.body),
  );
  app.put(
    '/api/incidents/:id/work-environment',
    {
      config: managing,
      schema: {
        tags,
        summary: 'Arbetsmiljöhantering av hot och våld mot anställda: allvarlighetsbedömning, anmälan till Arbetsmiljöverket, skyddsombud, utredning och åtgärder, arbetsskadeanmälan',
        params: idParams,
        body: saveWorkEnvironment,
        response: { 200: incidentDetail, ...errorResponses },
      },
    },
    async (req) => incidents.saveWorkEnvironment(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/incidents/:id/photos',
    {
      config: reporting,
      schema: {
        tags,
        summary: 'Ladda upp bild (PNG, JPEG, GIF eller WebP, högst 5 MB)',
        description: 'Skicka bilden som multipart/form-data i fältet "file".',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: photo, ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await readUpload(req, { maxBytes: PHOTO_MAX_BYTES, accept: ['png', 'jpeg', 'gif', 'webp'] });
      return reply.code(201).send(await incidents.addPhoto(contextOf(req), requireActor(req), req.params.id, file));
    },
  );
  app.get(
    '/api/incidents/:id/photos/:photoId',
    { config: reporting, schema: { tags, summary: 'Hämta bild', params: photoParams, response: { 200: z.any().describe('Bilden'), ...errorResponses } } },
    async (req, reply) => {
      const p = await incidents.getPhoto(requireActor(req), req.params.id, req.params.photoId);
      return reply
        .header('content-type', p.contentType)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(p.filename)}`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(p.content);
    },
  );

  app.post(
    '/api/police-events/import',
    {
      config: importing,
      schema: {
        tags,
        summary: 'Importera händelser från Polisens öppna API (JSON-fil)',
        description: 'Skicka filen som multipart/form-data i fältet "file". Dubbletter (samma id) hoppas över; händelser utanför kommunen filtreras bort; fel redovisas per rad.',
        consumes: ['multipart/form-data'],
        response: { 200: policeImportResult, ...errorResponses },
      },
    },
    async (req) => {
      const file = await readUpload(req, { maxBytes: 20 * 1024 * 1024, accept: ['csv'] });
      return police.importFile(contextOf(req), file.data);
    },
  );
  app.get(
    '/api/police-events',
    { config: reading, schema: { tags, summary: 'Polisens händelser i kommunen (eget lager)', querystring: policeEventQuery, response: { 200: policeEventList, ...errorResponses } } },
    async (req) => police.list(req.query),
  );
  app.get(
    '/api/police-type-mappings',
    { config: reading, schema: { tags, summary: 'Koppling polisens händelsetyper → kommunens kategorier', response: { 200: typeMappingList, ...errorResponses } } },
    async () => police.listMappings(),
  );
  app.put(
    '/api/police-type-mappings',
    { config: configure, schema: { tags, summary: 'Spara koppling polisens händelsetyper → kategorier', body: saveTypeMappings, response: { 200: typeMappingList, ...errorResponses } } },
    async (req) => police.saveMappings(contextOf(req), req.body.items),
  );
}

