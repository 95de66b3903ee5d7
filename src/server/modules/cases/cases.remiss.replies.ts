import type { Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { t } from '../../lib/i18n.ts';
import { can, type Actor } from '../../lib/policies.ts';
import type { RemissInboxItem, ReplyFields } from '../../../shared/schemas/remiss.ts';
import { accessOf, caseVisibleSql, logIfSecret, recordSecretHiddenSql } from '../../access/index.ts';
import { todayInStockholm as todayInSweden } from '../../lib/time.ts';
import { formatRecordNumber, insertRecord, mayHandle, type CaseRow } from './cases.core.ts';
import { remissRepliesRepo as repo } from './cases.remiss.replies.repo.ts';
import { remissRepo, type RecipientRow, type RoundRow } from './cases.remiss.repo.ts';
import {
  download,
  letterFileOf,
  loadOrgs,
  recipientRow,
  roundRow,
  secretHidden,
  type OrgInfo,
  type RemissPartDeps,
  type UploadedFile,
} from './cases.remiss.shared.ts';
import { presentOne } from './cases.remiss.view.ts';

/**
 * Replies: recording one (an incoming record in the case with its file), the inbox of remisses to the
 * organisations the actor answers for, and the letter's and replies' files.
 */

/**
 * Records a reply in the round. A reply is an official document (allmän handling) when it arrives: it is
 * registered at once as an incoming record in the case (with its file), dated the day it arrived, so it is in the
 * case's record list and the registry; the reply itself points at that record. A reply given in Trygg (by link or
 * by the internal recipient) arrives the day it is given; only the handläggare registering a reply that came
 * another way (post, e-mail) states its arrival date. A secrecy marking on the record hides the reply's text and
 * file from readers without the right, wherever it is shown.
 */
export async function recordReply(
  { files }: Pick<RemissPartDeps, 'files'>,
  tx: Executor,
  ctx: RequestContext,
  input: { round: RoundRow; recipient: RecipientRow; c: CaseRow; org: OrgInfo; fields: ReplyFields; file?: UploadedFile; via: 'internal' | 'link' | 'registered'; actorId: string | null },
) {
  const { round, recipient, c, org, fields, file, via } = input;
  if (round.status !== 'open') throw new AppError('REMISS_ROUND_CLOSED');
  if (recipient.status === 'answered') throw new AppError('REMISS_ALREADY_ANSWERED');
  const receivedOn = via === 'registered' ? (fields.receivedOn ?? todayInSweden()) : todayInSweden();
  if (receivedOn > todayInSweden()) throw new AppError('VALIDATION_FAILED', [{ path: 'receivedOn', message: 'Datumet kan inte ligga i framtiden.' }]);
  const body = fields.decidingBody ?? org.name;
  const vars = { organisation: org.name, body, date: fields.decidedOn ?? '', paragraph: fields.paragraph ?? '' };
  const title = t('sv', fields.kind === 'decision' ? 'remiss.record.replyDecision' : fields.kind === 'no_objection' ? 'remiss.record.replyNoObjection' : 'remiss.record.reply', vars);
  const record = await insertRecord(tx, {
    caseId: c.id,
    direction: 'incoming',
    recordDate: receivedOn,
    title,
    counterpart: org.name,
    counterpartOrganisationId: org.id,
    createdBy: input.actorId,
    isExample: round.isExample,
  });
  if (file) {
    const stored = await files.put(file.data);
    await remissRepo.insertRecordFile(tx, { recordId: record.id, filename: file.filename, contentType: file.contentType, size: stored.size, sha256: stored.sha256, uploadedBy: input.actorId });
  }
  const reply = await repo.insert(tx, {
      recipientId: recipient.id,
      receivedOn,
      kind: fields.kind,
      decidingBody: fields.kind === 'decision' ? body : (fields.decidingBody ?? null),
      decidedOn: fields.kind === 'decision' ? fields.decidedOn! : null,
      paragraph: fields.kind === 'decision' ? fields.paragraph! : null,
      text: fields.text ?? null,
      via,
      recordId: record.id,
      registeredBy: input.actorId,
      isExample: round.isExample,
  });
  await repo.markAnswered(tx, recipient.id);
  await recordAudit(tx, ctx, { entityType: 'remiss_recipient', entityId: recipient.id, action: 'reply', after: { ...reply, file: file ? { filename: file.filename, size: file.data.length } : null } });
  return reply;
}

export function createRepliesPart(deps: RemissPartDeps) {
  const { db } = deps;
  return {
    /** A reply recorded in Trygg: by the case's handläggare (any recipient) or by the internal recipient itself. */
    async reply(ctx: RequestContext, actor: Actor, recipientId: string, fields: ReplyFields, file?: UploadedFile) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const recipient = await recipientRow(tx, recipientId, true);
        const round = await roundRow(tx, recipient.roundId);
        const c = (await remissRepo.findCase(tx, round.caseId))!;
        const v = accessOf(actor, tree);
        const visible = await remissRepo.caseVisible(tx, c.id, caseVisibleSql(v));
        const manages = visible && mayHandle(actor, tree, c);
        const answersFor = recipient.channel === 'internal' && can(actor, 'cases.handle', recipient.organisationId, tree);
        if (!manages && !answersFor) throw new AppError(visible || answersFor ? 'FORBIDDEN' : 'REMISS_RECIPIENT_NOT_FOUND');
        const org = (await loadOrgs(tx)).get(recipient.organisationId)!;
        await recordReply(deps, tx, ctx, { round, recipient, c, org, fields, file, via: manages ? 'registered' : 'internal', actorId: actor.id });
        if (manages) return { round: await presentOne(tx, round.id, actor, tree, c) };
        return { round: null };
      });
    },

    /** Remisser till oss: open and answered remisses to the organisations the actor answers for. */
    async inbox(actor: Actor): Promise<{ items: RemissInboxItem[] }> {
      const tree = await loadOrgTree(db);
      const access = accessOf(actor, tree);
      const scope = access.scope('cases.handle');
      const rows = await repo.inbox(db, scope, recordSecretHiddenSql(access, 'c', 'r'), recordSecretHiddenSql(access, 'c', 'lr'));
      const letterIds = rows.map((r) => r.letter_record_id).filter((x): x is string => !!x);
      const lf = await repo.newestFiles(db, letterIds);
      const today = todayInSweden();
      return {
        items: rows.map((r) => {
          const f = lf.find((x) => x.record_id === r.letter_record_id);
          return {
            recipientId: r.recipient_id,
            roundId: r.round_id,
            registryNumber: r.registry_number,
            title: r.title,
            letter: r.letter_hidden ? '' : r.letter,
            letterSecret: r.letter_hidden,
            letterFile: f && !r.letter_hidden ? { id: f.id, filename: f.filename, contentType: f.content_type, size: f.size } : null,
            sentOn: r.sent_on,
            roundStatus: r.round_status,
            organisationName: r.organisation_name,
            replyBy: r.reply_by,
            status: r.status,
            overdue: r.status === 'pending' && r.round_status === 'open' && r.reply_by < today,
            reply: r.reply_id
              ? {
                  id: r.reply_id, receivedOn: r.received_on!, kind: r.kind!, decidingBody: r.deciding_body, decidedOn: r.decided_on, paragraph: r.paragraph,
                  text: r.reply_hidden ? null : r.text, secret: r.reply_hidden,
                  via: r.via!, recordId: r.record_id!, recordNumber: formatRecordNumber(r.registry_number, r.seq!), file: null,
                }
              : null,
          };
        }),
      };
    },

    /** The letter's file, for readers of the case and for those who answer for one of its recipients; a secret letter only for those who may read it. */
    async letterFile(actor: Actor, roundId: string, ctx?: RequestContext) {
      const access = accessOf(actor, await loadOrgTree(db));
      const round = await roundRow(db, roundId);
      const visible = await remissRepo.caseVisible(db, round.caseId, caseVisibleSql(access));
      if (!visible) {
        if (!(await repo.answersForRound(db, roundId, access.scope('cases.handle')))) throw new AppError('REMISS_ROUND_NOT_FOUND');
      }
      if (round.letterRecordId && (await secretHidden(db, access, round.letterRecordId))) throw new AppError('REMISS_ROUND_NOT_FOUND');
      const file = download(deps, await letterFileOf(db, round));
      if (ctx && round.letterRecordId) await logIfSecret(db, ctx, 'record', round.letterRecordId, 'download');
      return file;
    },

    /** A reply's file, for readers of the case and for those who answer for the recipient; a secret reply only for those who may read it. */
    async replyFile(actor: Actor, recipientId: string, ctx?: RequestContext) {
      const access = accessOf(actor, await loadOrgTree(db));
      const recipient = await recipientRow(db, recipientId);
      const round = await roundRow(db, recipient.roundId);
      const visible = await remissRepo.caseVisible(db, round.caseId, caseVisibleSql(access));
      if (!visible && !(recipient.channel === 'internal' && access.can('cases.handle', recipient.organisationId))) throw new AppError('REMISS_RECIPIENT_NOT_FOUND');
      const reply = await repo.replyOf(db, recipientId);
      if (!reply) throw new AppError('FILE_MISSING');
      if (await secretHidden(db, access, reply.recordId)) throw new AppError('REMISS_RECIPIENT_NOT_FOUND');
      const f = await repo.newestFile(db, reply.recordId);
      const file = download(deps, f ?? null);
      if (ctx) await logIfSecret(db, ctx, 'record', reply.recordId, 'download');
      return file;
    },

  };
}
