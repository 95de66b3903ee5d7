import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idParams } from '../../../shared/schemas/common.ts';
import {
  closeRemissRound,
  createdRemissRound,
  createRemissRound,
  issuedLink,
  publicRemiss,
  publicRemissReceipt,
  remissInbox,
  remissRound,
  remissRoundList,
  REMISS_LETTER_MAX_BYTES,
  REMISS_REPLY_MAX_BYTES,
  replyFields,
  type ReplyFields,
} from '../../../shared/schemas/remiss.ts';
import { contextOf, requireActor } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { errorResponses, rateLimitOfPublicRoute, type App } from '../../lib/http.ts';
import { checkKind, CONTENT_TYPE_OF, sniff, type SniffedKind } from '../../lib/uploads.ts';
import type { RemissService, UploadedFile } from './cases.remiss.ts';
import { casePolicies } from './cases.policy.ts';

const tags = ['Ärenden: remiss'];
const read = casePolicies.reading;
const handle = casePolicies.handling;
/** Replies and the letter: PDF or Word only (what a registry accepts as a reply document). */
const ACCEPT: SniffedKind[] = ['pdf', 'docx'];
const tokenParams = z.object({ token: z.string().min(1).max(200) });

/**
 * Reads a multipart form: its text fields and at most one file (part "file"), within `maxBytes`, the
 * file's kind sniffed from its bytes. An empty file part (a form sent without choosing a file) is no file.
 */
async function readForm(req: FastifyRequest, maxBytes: number): Promise<{ fields: Record<string, string>; file?: UploadedFile }> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const fields: Record<string, string> = {};
  let file: { filename: string; data: Buffer } | undefined;
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.file.truncated) throw new AppError('BODY_TOO_LARGE');
        if (data.length) file = { filename: (part.filename || 'fil').slice(0, 255), data };
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    if (err instanceof AppError || (err as { statusCode?: number }).statusCode) throw err;
    throw new AppError('VALIDATION_FAILED');
  }
  if (!file) return { fields };
  const kind = sniff(file.data);
  checkKind(kind, ACCEPT);
  return { fields, file: { ...file, contentType: CONTENT_TYPE_OF[kind] } };
}

function parseReply(fields: Record<string, string>): ReplyFields {
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== ''));
  const parsed = replyFields.safeParse(given);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'VALIDATION_FAILED',
    parsed.error.issues.map((i) => ({
      path: i.path.join('.'),
      message: i.code === 'custom' ? i.message : i.code === 'invalid_value' ? 'ENUM' : i.code === 'invalid_type' ? 'REQUIRED' : 'INVALID',
    })),
  );
}

function sendFile(reply: FastifyReply, f: { filename: string; contentType: string; content: Buffer }) {
  return reply
    .header('content-type', f.contentType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(f.content);
}

const multipartDoc = (summary: string) => ({
  tags,
  summary,
  description: 'multipart/form-data: fälten kind (decision | no_objection | reply), receivedOn, decidingBody, decidedOn, paragraph, text och eventuellt en fil i fältet "file" (PDF eller Word, högst 10 MB).',
  consumes: ['multipart/form-data'],
});

export function remissRoutes(app: App, { remiss, publicRateLimit }: { remiss: RemissService; publicRateLimit: number }) {
  app.get(
    '/api/cases/:id/remiss-rounds',
    { config: { policy: read }, schema: { tags, summary: 'Ärendets remissomgångar med remissinstanser och svar', params: idParams, response: { 200: remissRoundList, ...errorResponses } } },
    async (req) => remiss.listForCase(requireActor(req), req.params.id),
  );
  app.post(
    '/api/cases/:id/remiss-rounds',
    {
      config: { policy: handle },
      schema: { tags, summary: 'Skicka ärendet på remiss (e-post till varje remissinstans; personlig länk till externa)', params: idParams, body: createRemissRound, response: { 201: createdRemissRound, ...errorResponses } },
    },
    async (req, reply) => reply.code(201).send(await remiss.create(contextOf(req), requireActor(req), req.params.id, req.body)),
  );
  app.post(
    '/api/remiss-rounds/:id/letter-file',
    {
      config: { policy: handle },
      schema: { tags, summary: 'Bifoga remissbrevet som fil (PDF eller Word, högst 25 MB)', consumes: ['multipart/form-data'], params: idParams, response: { 200: remissRound, ...errorResponses } },
    },
    async (req) => {
      const { file } = await readForm(req, REMISS_LETTER_MAX_BYTES);
      if (!file) throw new AppError('FILE_REQUIRED', [{ path: 'file', message: 'FILE_REQUIRED' }]);
      return remiss.attachLetter(contextOf(req), requireActor(req), req.params.id, file);
    },
  );
  app.get(
    '/api/remiss-rounds/:id/letter-file',
    { config: { policy: read }, schema: { tags, summary: 'Hämta remissbrevets fil', params: idParams, response: { 200: z.any().describe('Filen'), ...errorResponses } } },
    async (req, reply) => sendFile(reply, await remiss.letterFile(requireActor(req), req.params.id, contextOf(req))),
  );
  app.post(
    '/api/remiss-rounds/:id/close',
    { config: { policy: handle }, schema: { tags, summary: 'Stäng remissomgången (inga fler svar eller påminnelser)', params: idParams, body: closeRemissRound, response: { 200: remissRound, ...errorResponses } } },
    async (req) => remiss.close(contextOf(req), requireActor(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/remiss-recipients/:id/link',
    {
      config: { policy: handle },
      schema: { tags, summary: 'Återkalla svarslänken och skicka en ny', params: idParams, response: { 200: z.object({ round: remissRound, issuedLink }), ...errorResponses } },
    },
    async (req) => {
      const r = await remiss.revokeLink(contextOf(req), requireActor(req), req.params.id, true);
      return { round: r.round, issuedLink: r.issuedLink! };
    },
  );
  app.delete(
    '/api/remiss-recipients/:id/link',
    { config: { policy: handle }, schema: { tags, summary: 'Återkalla svarslänken', params: idParams, response: { 200: z.object({ round: remissRound }), ...errorResponses } } },
    async (req) => ({ round: (await remiss.revokeLink(contextOf(req), requireActor(req), req.params.id, false)).round }),
  );
  app.post(
    '/api/remiss-recipients/:id/reply',
    {
      config: { policy: handle },
      schema: { ...multipartDoc('Registrera ett remissvar (handläggaren, eller den interna remissinstansen själv)'), params: idParams, response: { 201: z.object({ round: remissRound.nullable() }), ...errorResponses } },
    },
    async (req, reply) => {
      const { fields, file } = await readForm(req, REMISS_REPLY_MAX_BYTES);
      return reply.code(201).send(await remiss.reply(contextOf(req), requireActor(req), req.params.id, parseReply(fields), file));
    },
  );
  app.get(
    '/api/remiss-recipients/:id/reply-file',
    { config: { policy: read }, schema: { tags, summary: 'Hämta remissvarets fil', params: idParams, response: { 200: z.any().describe('Filen'), ...errorResponses } } },
    async (req, reply) => sendFile(reply, await remiss.replyFile(requireActor(req), req.params.id, contextOf(req))),
  );
  app.get(
    '/api/remiss-inbox',
    { config: { policy: handle }, schema: { tags, summary: 'Remisser till oss: remisser till de organisationer du svarar för', response: { 200: remissInbox, ...errorResponses } } },
    async (req) => remiss.inbox(requireActor(req)),
  );

  // --- The personal link: public, rate limited, and showing only the letter and the recipient's own name. ---
  const publicConfig = { policy: casePolicies.remissLink, rateLimit: rateLimitOfPublicRoute(publicRateLimit) };
  app.get(
    '/api/remissvar/:token',
    { config: publicConfig, schema: { tags, summary: 'Remissen bakom en personlig svarslänk', security: [], params: tokenParams, response: { 200: publicRemiss, ...errorResponses, 410: errorResponses[404] } } },
    async (req) => remiss.publicView(req.params.token),
  );
  app.get(
    '/api/remissvar/:token/letter-file',
    { config: publicConfig, schema: { tags, summary: 'Remissbrevets fil bakom en personlig svarslänk', security: [], params: tokenParams, response: { 200: z.any().describe('Filen'), ...errorResponses, 410: errorResponses[404] } } },
    async (req, reply) => sendFile(reply, await remiss.publicLetterFile(req.params.token)),
  );
  app.post(
    '/api/remissvar/:token',
    {
      config: publicConfig,
      schema: { ...multipartDoc('Lämna remissvar med en personlig länk (en gång)'), security: [], params: tokenParams, response: { 201: publicRemissReceipt, ...errorResponses, 410: errorResponses[404] } },
    },
    async (req, reply) => {
      const { fields, file } = await readForm(req, REMISS_REPLY_MAX_BYTES);
      return reply.code(201).send(await remiss.publicReply(contextOf(req), req.params.token, parseReply(fields), file));
    },
  );
}
