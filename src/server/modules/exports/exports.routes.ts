import { z } from 'zod';
import { idParams } from '../../../shared/schemas/common.ts';
import { exportStatus as exportStatusSchema, requestExport as requestExportSchema } from '../../../shared/schemas/exports.ts';
import type { Db } from '../../db/client.ts';
import { requireActor } from '../../lib/context.ts';
import { exportContent, exportStatus, requestExport, type ExportFormat, type ExportKinds } from '../../lib/exports.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { exportPolicies } from './exports.policy.ts';

const tags = ['Rapporter och exporter'];
const toStatus = (r: Awaited<ReturnType<typeof exportStatus>>) => ({
  id: r.id,
  kind: r.kind,
  format: r.format as ExportFormat,
  status: r.status as 'pending' | 'running' | 'done' | 'failed',
  progress: r.progress,
  filename: r.filename,
  size: r.size,
  error: r.error,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

/**
 * Generated files. Any signed-in user may ask for one: each kind checks its own rights on its
 * parameters (when asked and again when built), and only the requester can see or download it.
 */
export function exportRoutes(app: App, { db, kinds }: { db: Db; kinds: ExportKinds }) {
  app.post(
    '/api/exports',
    {
      config: { policy: exportPolicies.own },
      schema: { tags, summary: 'Beställ en rapport eller export (byggs som ett jobb)', body: requestExportSchema, response: { 202: exportStatusSchema, ...errorResponses } },
    },
    async (req, reply) => {
      const row = await requestExport(db, kinds, requireActor(req), req.body);
      return reply.code(202).send(toStatus({ ...row, requestedBy: row.requestedBy }));
    },
  );
  app.get(
    '/api/exports/:id',
    { config: { policy: exportPolicies.own }, schema: { tags, summary: 'Status och förlopp för en beställd fil', params: idParams, response: { 200: exportStatusSchema, ...errorResponses } } },
    async (req) => toStatus(await exportStatus(db, requireActor(req), req.params.id)),
  );
  app.get(
    '/api/exports/:id/file',
    {
      config: { policy: exportPolicies.own },
      schema: { tags, summary: 'Hämta den färdiga filen', params: idParams, response: { 200: z.any().describe('Filen'), ...errorResponses } },
    },
    async (req, reply) => {
      const file = await exportContent(db, requireActor(req), req.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${asciiName(file.filename)}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('cache-control', 'private, no-store')
        .send(file.content);
    },
  );
}

/** A plain-ASCII fallback for old clients: å→a, ö→o… and nothing that could break the header. */
function asciiName(name: string) {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\w.\- ]/g, '_');
}
