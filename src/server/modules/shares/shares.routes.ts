import { z } from 'zod';
import { idParams } from '../../../shared/schemas/common.ts';
import {
  comment,
  createShare,
  markSecrecy,
  revokeShare,
  secrecyParams,
  secrecyState,
  share,
  shareComment,
  shareList,
  shareListQuery,
  sharedRecord,
  sharedWithUs,
  unmarkSecrecy,
} from '../../../shared/schemas/access.ts';
import type { Db } from '../../db/client.ts';
import { accessOf, markSecret, secrecyOf, unmarkSecret } from '../../access/index.ts';
import { contextOf, orgTreeOf, requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import type { ShareService } from './shares.service.ts';
import { manageShares, markSecrecyPolicy, viewShares } from './shares.policy.ts';

const tags = ['Delning och sekretess'];
const manage = manageShares;
const view = viewShares;
const secrecy = markSecrecyPolicy;
const comments = z.object({ items: z.array(comment) });

export function shareRoutes(app: App, { shares, db }: { shares: ShareService; db: Db }) {
  // --- The owner side: share, list, revoke, read the partner's comments. ---
  app.post(
    '/api/shares',
    { config: manage, schema: { tags, summary: 'Dela en uppgift med en samverkanspart till ett slutdatum', body: createShare, response: { 201: share, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await shares.create(contextOf(req), requireActor(req), req.body)),
  );
  app.get(
    '/api/shares',
    { config: manage, schema: { tags, summary: 'Delningar per uppgift eller per samverkanspart', querystring: shareListQuery, response: { 200: shareList, ...errorResponses } } },
    async (req) => shares.list(requireActor(req), req.query),
  );
  app.post(
    '/api/shares/:id/revoke',
    { config: manage, schema: { tags, summary: 'Återkalla en delning (gäller genast)', params: idParams, body: revokeShare, response: { 200: share, ...errorResponses } } },
    async (req) => shares.revoke(contextOf(req), requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/shares/:id/comments',
    { config: manage, schema: { tags, summary: 'Kommentarer på en delning', params: idParams, response: { 200: comments, ...errorResponses } } },
    async (req) => shares.comments(requireActor(req), req.params.id),
  );
  app.post(
    '/api/shares/:id/comments',
    { config: manage, schema: { tags, summary: 'Kommentera en delning (kommunen)', params: idParams, body: shareComment, response: { 201: comments, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await shares.comment(contextOf(req), requireActor(req), req.params.id, req.body.text, 'owner')),
  );

  // --- The partner side: what is shared with us, one shared record, comment on it. ---
  app.get(
    '/api/shared',
    { config: view, schema: { tags, summary: 'Det som är delat med vår organisation just nu', response: { 200: sharedWithUs, ...errorResponses } } },
    async (req) => shares.sharedWithMe(requireActor(req)),
  );
  app.get(
    '/api/shared/:id',
    { config: view, schema: { tags, summary: 'En delad uppgift (varje visning loggas)', params: idParams, response: { 200: sharedRecord, ...errorResponses } } },
    async (req) => shares.view(contextOf(req), requireActor(req), req.params.id),
  );
  app.post(
    '/api/shared/:id/comments',
    { config: view, schema: { tags, summary: 'Kommentera en delad uppgift (samverkansparten)', params: idParams, body: shareComment, response: { 201: comments, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await shares.comment(contextOf(req), requireActor(req), req.params.id, req.body.text, 'partner')),
  );

  // --- Secrecy markings on any secret-capable record type. ---
  app.get(
    '/api/secrecy/:type/:id',
    { config: secrecy, schema: { tags, summary: 'Sekretessmarkeringen på en uppgift', params: secrecyParams, response: { 200: secrecyState, ...errorResponses } } },
    async (req) => secrecyOf(db, accessOf(requireActor(req), await orgTreeOf(req, db)), req.params.type, req.params.id),
  );
  app.put(
    '/api/secrecy/:type/:id',
    { config: secrecy, schema: { tags, summary: 'Sekretessmarkera en uppgift (OSL-hänvisning och skäl)', params: secrecyParams, body: markSecrecy, response: { 200: secrecyState, ...errorResponses } } },
    async (req) => {
      const access = accessOf(requireActor(req), await orgTreeOf(req, db));
      return db.transaction((tx) => markSecret(tx, contextOf(req), access, req.params.type, req.params.id, req.body));
    },
  );
  app.post(
    '/api/secrecy/:type/:id/unmark',
    { config: secrecy, schema: { tags, summary: 'Ta bort en sekretessmarkering (med skäl)', params: secrecyParams, body: unmarkSecrecy, response: { 200: secrecyState, ...errorResponses } } },
    async (req) => {
      const access = accessOf(requireActor(req), await orgTreeOf(req, db));
      return db.transaction((tx) => unmarkSecret(tx, contextOf(req), access, req.params.type, req.params.id, req.body));
    },
  );
}
