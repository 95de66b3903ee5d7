import { z } from 'zod';
import { idParams } from '../../../shared/schemas/common.ts';
import { createDocument, documentList, documentQuery, governingDocumentDetail, publicDocumentList, updateDocument } from '../../../shared/schemas/documents.ts';
import { contextOf, requireActor } from '../../lib/context.ts';
import { errorResponses, rateLimitOfPublicRoute, type App } from '../../lib/http.ts';
import { CONTENT_TYPE_OF, readUpload } from '../../lib/uploads.ts';
import { DOCUMENT_MAX_BYTES, type DocumentService } from './documents.service.ts';
import { documentPolicies } from './documents.policy.ts';

const tags = ['Styrdokument'];
/** The route gates on holding the action somewhere; the service checks it on the document's owner and filters lists in SQL. */
const read = { policy: documentPolicies.read };
const manage = { policy: documentPolicies.manage };

/** Content-Disposition with a plain-ASCII fallback and the UTF-8 name. */
const disposition = (name: string) =>
  `attachment; filename="${name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\w.\- ]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function documentRoutes(app: App, { documents }: { documents: DocumentService }) {
  app.get(
    '/api/documents',
    { config: read, schema: { tags, summary: 'Lista styrdokument (filter: typ, status, ägare, revidering, fritext)', querystring: documentQuery, response: { 200: documentList, ...errorResponses } } },
    async (req) => documents.list(requireActor(req), req.query, contextOf(req)),
  );
  app.get(
    '/api/documents/:id',
    { config: read, schema: { tags, summary: 'Hämta styrdokument med beslut och ersätter/ersatt av', params: idParams, response: { 200: governingDocumentDetail, ...errorResponses } } },
    async (req) => documents.get(requireActor(req), req.params.id, contextOf(req)),
  );
  app.post(
    '/api/documents',
    { config: manage, schema: { tags, summary: 'Registrera styrdokument', body: createDocument, response: { 201: governingDocumentDetail, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await documents.create(contextOf(req), requireActor(req), req.body)),
  );
  app.patch(
    '/api/documents/:id',
    { config: manage, schema: { tags, summary: 'Ändra styrdokument (status, länkar, giltighet)', params: idParams, body: updateDocument, response: { 200: governingDocumentDetail, ...errorResponses } } },
    async (req) => documents.update(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/documents/:id/file',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Ladda upp dokumentets fil (PDF eller Word; högst 20 MB)',
        description: 'Skicka filen som multipart/form-data i fältet "file". Innehållet kontrolleras, inte filnamnet.',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 200: governingDocumentDetail, ...errorResponses },
      },
    },
    async (req) => {
      const file = await readUpload(req, { maxBytes: DOCUMENT_MAX_BYTES, accept: ['pdf', 'docx'] });
      return documents.attachFile(contextOf(req), requireActor(req), req.params.id, { filename: file.filename, data: file.data, contentType: CONTENT_TYPE_OF[file.kind] });
    },
  );
  app.get(
    '/api/documents/:id/file',
    { config: read, schema: { tags, summary: 'Hämta dokumentets fil', params: idParams, response: { 200: z.any().describe('Filen'), ...errorResponses } } },
    async (req, reply) => {
      const f = await documents.file(requireActor(req), req.params.id, contextOf(req));
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', disposition(f.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(f.content);
    },
  );
  // The list of documents in force is public information (offentlighetsprincipen): readable without
  // an account, limited per client address, and only public fields of documents in force.
  app.get(
    '/api/public/documents',
    {
      config: { policy: documentPolicies.public, rateLimit: rateLimitOfPublicRoute(60) },
      schema: { tags, summary: 'Gällande styrdokument (öppen förteckning utan inloggning)', security: [], response: { 200: publicDocumentList, ...errorResponses } },
    },
    async () => documents.publicList(),
  );
}
