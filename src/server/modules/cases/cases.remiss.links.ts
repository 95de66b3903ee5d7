import type { Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { t } from '../../lib/i18n.ts';
import { queueMail } from '../../lib/mail.ts';
import type { Actor } from '../../lib/policies.ts';
import type { IssuedLink, PublicRemiss, ReplyFields } from '../../../shared/schemas/remiss.ts';
import { todayInStockholm as todayInSweden } from '../../lib/time.ts';
import { hashToken } from '../users/index.ts';
import { remissLinksRepo as linksRepo } from './cases.remiss.links.repo.ts';
import { remissRepo as repo } from './cases.remiss.repo.ts';
import { recordReply } from './cases.remiss.replies.ts';
import {
  download,
  issueLink,
  letterFileOf,
  loadOrgs,
  mailVars,
  managedRound,
  recipientRow,
  roundRow,
  type RemissPartDeps,
  type UploadedFile,
} from './cases.remiss.shared.ts';
import { presentOne } from './cases.remiss.view.ts';

/**
 * Links and the public reply: an external recipient's personal link (revoked, reissued), and what the
 * link gives: the letter, the recipient's own name and the reply form, nothing else.
 */

/** A link from its token, checked step by step so that each refusal says what is wrong. */
async function usableLink(ex: Executor, token: string, lock: boolean) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new AppError('REMISS_LINK_INVALID');
  const link = await linksRepo.byTokenHash(ex, hashToken(token), lock);
  if (!link) throw new AppError('REMISS_LINK_INVALID');
  if (link.revoked_at) throw new AppError('REMISS_LINK_REVOKED');
  if (link.used_at) throw new AppError('REMISS_LINK_USED');
  const recipient = await recipientRow(ex, link.recipient_id, lock);
  if (recipient.status === 'answered') throw new AppError('REMISS_ALREADY_ANSWERED');
  const round = await roundRow(ex, recipient.roundId);
  if (round.status !== 'open') throw new AppError('REMISS_ROUND_CLOSED');
  if (new Date(link.expires_at).getTime() < Date.now()) throw new AppError('REMISS_LINK_EXPIRED');
  return { link, recipient, round };
}

export function createLinksPart(deps: RemissPartDeps) {
  const { db, linkUrl } = deps;
  return {
    /** Revokes the recipient's link; with `reissue`, issues and mails a new one. */
    async revokeLink(ctx: RequestContext, actor: Actor, recipientId: string, reissue: boolean) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const recipient = await recipientRow(tx, recipientId, true);
        const { round, case: c } = await managedRound(tx, actor, tree, recipient.roundId).catch((err) => {
          throw err instanceof AppError && err.code === 'REMISS_ROUND_NOT_FOUND' ? new AppError('REMISS_RECIPIENT_NOT_FOUND') : err;
        });
        if (recipient.channel !== 'link') throw new AppError('REMISS_NOT_LINK_RECIPIENT');
        if (round.status !== 'open') throw new AppError('REMISS_ROUND_CLOSED');
        if (recipient.status === 'answered') throw new AppError('REMISS_ALREADY_ANSWERED');
        let issued: IssuedLink | null = null;
        if (reissue) {
          const org = (await loadOrgs(tx)).get(recipient.organisationId)!;
          const { token, expiresAt } = await issueLink(deps, tx, recipient, actor.id);
          issued = { recipientId: recipient.id, organisationName: org.name, url: linkUrl(token), expiresAt: expiresAt.toISOString() };
          const mv = { ...mailVars(round, c, org, recipient.replyBy, actor.name), link: issued.url, expires: todayInSweden(expiresAt) };
          if (recipient.email) await queueMail(tx, { to: recipient.email, subject: t('sv', 'remiss.mail.reissued.subject', mv), text: t('sv', 'remiss.mail.reissued.text', mv) });
        } else {
          await linksRepo.revokeUsable(tx, recipient.id);
        }
        await recordAudit(tx, ctx, { entityType: 'remiss_recipient', entityId: recipient.id, action: reissue ? 'reissue-link' : 'revoke-link', after: issued ? { expiresAt: issued.expiresAt } : null });
        return { round: await presentOne(tx, round.id, actor, tree, c), issuedLink: issued };
      });
    },

    // --- The public link: the letter and the recipient's own name, nothing else. ---

    async publicView(token: string): Promise<PublicRemiss> {
      const { link, recipient, round } = await usableLink(db, token, false);
      const org = (await loadOrgs(db)).get(recipient.organisationId)!;
      const f = await letterFileOf(db, round);
      return {
        title: round.title,
        letter: round.letter,
        letterFile: f ? { filename: f.filename, size: f.size } : null,
        recipientName: org.name,
        replyBy: recipient.replyBy,
        expiresAt: new Date(link.expires_at).toISOString(),
      };
    },

    async publicLetterFile(token: string) {
      const { round } = await usableLink(db, token, false);
      return download(deps, await letterFileOf(db, round));
    },

    async publicReply(ctx: RequestContext, token: string, fields: ReplyFields, file?: UploadedFile) {
      return db.transaction(async (tx) => {
        const { link, recipient, round } = await usableLink(tx, token, true);
        const c = (await repo.findCase(tx, round.caseId))!;
        const org = (await loadOrgs(tx)).get(recipient.organisationId)!;
        const reply = await recordReply(deps, tx, ctx, { round, recipient, c, org, fields: { ...fields, receivedOn: undefined }, file, via: 'link', actorId: null });
        await linksRepo.markUsed(tx, link.id);
        return { receivedOn: reply.receivedOn, recipientName: org.name };
      });
    },
  };
}
