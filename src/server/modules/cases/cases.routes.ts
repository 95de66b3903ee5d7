import { z } from 'zod';
import { idParams } from '../../../shared/schemas/common.ts';
import {
  caseDetail,
  caseList,
  caseOptions,
  caseQuery,
  caseRecord,
  caseRecordList,
  createCase,
  createRecord,
  fileParams,
  RECORD_FILE_MAX_BYTES,
  recordFile,
  recordParams,
  searchQuery,
  searchResult,
  updateCase,
  updateRecord,
} from '../../../shared/schemas/cases.ts';
import { contextOf, requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { readUpload } from '../../lib/uploads.ts';
import { RECORD_FILE_KINDS, type CaseService } from './cases.service.ts';
import type { RegistrySearch } from './cases.search.ts';
import { casePolicies } from './cases.policy.ts';

const tags = ['Diarium'];
/**
 * Route policies gate on holding the action somewhere; the service checks the case's organisations
 * (invisible → 404, visible but not writable → 403) and filters lists and search in SQL.
 */
const reading = { policy: casePolicies.reading };
const registering = { policy: casePolicies.registering };
/** Writing in a case: registrars and handlers; the service decides per case. */
const writing = { policy: casePolicies.writing };

export function caseRoutes(app: App, { cases, search }: { cases: CaseService; search: RegistrySearch }) {
  app.get(
    '/api/case-options',
    { config: reading, schema: { tags, summary: 'Val vid registrering: ärendetyper, organ du får registrera för, möjliga handläggare', response: { 200: caseOptions, ...errorResponses } } },
    async (req) => cases.options(requireActor(req)),
  );
  app.get(
    '/api/cases',
    {
      config: reading,
      schema: {
        tags,
        summary: 'Lista ärenden (det du får läsa), senast registrerade först',
        description: 'Filter: status, ansvarig organisation, år, handläggare och fritext (ord i ärendet eller del av diarienumret).',
        querystring: caseQuery,
        response: { 200: caseList, ...errorResponses },
      },
    },
    async (req) => cases.list(requireActor(req), req.query),
  );
  app.post(
    '/api/cases',
    {
      config: registering,
      schema: {
        tags,
        summary: 'Registrera ärende (nästa lediga diarienummer, eller ett befintligt nummer)',
        description: 'Serien är det registrerande organets förkortning (KS, KSAU …), året innevarande år. Ange registryNumber för att registrera ett befintligt nummer, t.ex. ett pappersärende.',
        body: createCase,
        response: { 201: caseDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await cases.register(contextOf(req), requireActor(req), req.body)),
  );
  app.get(
    '/api/cases/:id',
    { config: reading, schema: { tags, summary: 'Hämta ärende med handlingar och dina tillåtna åtgärder', params: idParams, response: { 200: caseDetail, ...errorResponses } } },
    async (req) => cases.get(requireActor(req), req.params.id, contextOf(req)),
  );
  app.patch(
    '/api/cases/:id',
    {
      config: writing,
      schema: { tags, summary: 'Ändra ärende (status, handläggare, barnkonsekvensanalys, sekretessmarkering …)', params: idParams, body: updateCase, response: { 200: caseDetail, ...errorResponses } },
    },
    async (req) => cases.update(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/cases/:id/records',
    { config: reading, schema: { tags, summary: 'Handlingar i ärendet (de du får läsa)', params: idParams, response: { 200: caseRecordList, ...errorResponses } } },
    async (req) => cases.listRecords(requireActor(req), req.params.id),
  );
  app.post(
    '/api/cases/:id/records',
    { config: writing, schema: { tags, summary: 'Registrera handling i ärendet (inkommen, upprättad, utgående)', params: idParams, body: createRecord, response: { 201: caseRecord, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await cases.addRecord(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/cases/:id/records/:recordId',
    { config: writing, schema: { tags, summary: 'Rätta en handlings uppgifter (handlingar tas aldrig bort)', params: recordParams, body: updateRecord, response: { 200: caseRecord, ...errorResponses } } },
    async (req) => cases.updateRecord(contextOf(req), requireActor(req), req.params.id, req.params.recordId, req.body),
  );
  app.post(
    '/api/cases/:id/records/:recordId/files',
    {
      config: writing,
      schema: {
        tags,
        summary: 'Bifoga fil till handling (PDF, DOCX, PNG eller JPEG, högst 20 MB)',
        description: 'Skicka filen som multipart/form-data i fältet "file". Innehållet kontrolleras, inte filnamnet. Filen sparas med SHA-256-kontrollsumma.',
        consumes: ['multipart/form-data'],
        params: recordParams,
        response: { 201: recordFile, ...errorResponses, 413: errorResponses[400], 415: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const file = await readUpload(req, { maxBytes: RECORD_FILE_MAX_BYTES, accept: RECORD_FILE_KINDS });
      return reply.code(201).send(await cases.addFile(contextOf(req), requireActor(req), req.params.id, req.params.recordId, file));
    },
  );
  app.get(
    '/api/cases/:id/records/:recordId/files/:fileId',
    { config: reading, schema: { tags, summary: 'Hämta en handlings fil', params: fileParams, response: { 200: z.any().describe('Filen'), ...errorResponses } } },
    async (req, reply) => {
      const f = await cases.getFile(requireActor(req), req.params.id, req.params.recordId, req.params.fileId, contextOf(req));
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(f.content);
    },
  );
  app.get(
    '/api/search',
    {
      config: reading,
      schema: {
        tags,
        summary: 'Sök i diariet (svensk fritext över ärenden och handlingar), rangordnat, med utdrag',
        description: 'Sökordet tolkas som i en webbsökmotor: "fras", eller, -utesluten. Bara det du får läsa; sekretessmarkerat bara med behörighet. Träffar markeras «så här» i utdraget.',
        querystring: searchQuery,
        response: { 200: searchResult, ...errorResponses },
      },
    },
    async (req) => search.search(requireActor(req), req.query, contextOf(req)),
  );
}
