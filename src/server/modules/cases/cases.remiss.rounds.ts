import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import { enqueueJob } from '../../lib/jobs.ts';
import { queueMail } from '../../lib/mail.ts';
import type { Actor } from '../../lib/policies.ts';
import type { CreateRemissRound, IssuedLink, RemissRoundList } from '../../../shared/schemas/remiss.ts';
import { todayInStockholm as todayInSweden } from '../../lib/time.ts';
import { insertRecord, mayHandle, visibleCaseOf } from './cases.core.ts';
import { REMISS_REMIND_JOB } from './cases.remiss.jobs.ts';
import { remissRepo as repo } from './cases.remiss.repo.ts';
import { HANDLER_ROLES, isExternal, issueLink, loadOrgs, mailVars, managedRound, type RemissPartDeps, type UploadedFile } from './cases.remiss.shared.ts';
import { present, presentOne } from './cases.remiss.view.ts';

/**
 * Remiss rounds and their recipients: a case's rounds, sending a round (the letter as an outgoing
 * record, a link or an internal notice per recipient, reminders per reply date), the letter's file and
 * closing a round.
 */
export function createRoundsPart(deps: RemissPartDeps) {
  const { db, files, config, base, linkUrl } = deps;
  return {
    async listForCase(actor: Actor, caseId: string): Promise<RemissRoundList> {
      const tree = await loadOrgTree(db);
      const c = await visibleCaseOf(db, actor, tree, caseId);
      const rounds = await repo.roundsOfCase(db, caseId);
      const decisions = await repo.remissDecisionsOfCase(db, caseId);
      return {
        case: { id: c.id, registryNumber: c.registryNumber, title: c.title, status: c.status },
        canManage: mayHandle(actor, tree, c),
        decisions: decisions.map((d) => ({ id: d.id, title: d.title, ref: d.decided_on ? `${d.body} ${d.decided_on}${d.paragraph ? ` § ${d.paragraph}` : ''}` : `${d.body}: ${d.title}` })),
        items: await present(db, rounds, actor, tree, c),
      };
    },

    async create(ctx: RequestContext, actor: Actor, caseId: string, input: CreateRemissRound) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const c = await visibleCaseOf(tx, actor, tree, caseId);
        if (!mayHandle(actor, tree, c)) throw new AppError('FORBIDDEN');
        if (c.status === 'closed') throw new AppError('REMISS_CASE_CLOSED');
        if (input.decisionId) {
          if ((await repo.decisionKind(tx, input.decisionId, caseId)) !== 'remiss') throw new AppError('VALIDATION_FAILED', [{ path: 'decisionId', message: 'Beslutet finns inte i ärendet eller är inget remissbeslut.' }]);
        }
        const sentOn = input.sentOn ?? todayInSweden();
        if (sentOn > todayInSweden()) throw new AppError('VALIDATION_FAILED', [{ path: 'sentOn', message: 'Datumet kan inte ligga i framtiden.' }]);
        const orgs = await loadOrgs(tx);
        const problems: { path: string; message: string }[] = [];
        const seen = new Set<string>();
        const planned = input.recipients.map((r, i) => {
          const org = orgs.get(r.organisationId);
          if (!org) problems.push({ path: `recipients.${i}.organisationId`, message: 'ORGANISATION_NOT_FOUND' });
          else if (!org.active) problems.push({ path: `recipients.${i}.organisationId`, message: 'ORGANISATION_INACTIVE' });
          if (seen.has(r.organisationId)) problems.push({ path: `recipients.${i}.organisationId`, message: 'Remissinstansen finns redan med i omgången.' });
          seen.add(r.organisationId);
          if (r.replyBy < sentOn) problems.push({ path: `recipients.${i}.replyBy`, message: 'Svarsdatum kan inte vara före utskicksdatum.' });
          const channel = r.channel ?? (org && isExternal(orgs, org.id) ? 'link' : 'internal');
          const email = r.email ?? org?.email ?? null;
          if (channel === 'link' && !email) problems.push({ path: `recipients.${i}.email`, message: 'Ange en e-postadress: organisationen har ingen i registret.' });
          return { ...r, org: org!, channel, email };
        });
        if (problems.length) throw new AppError('VALIDATION_FAILED', problems);

        const letterRecord = await insertRecord(tx, {
          caseId,
          direction: 'outgoing',
          recordDate: sentOn,
          title: t('sv', 'remiss.record.letter', { title: input.title }),
          counterpart: planned.map((p) => p.org.name).join('; ').slice(0, 2000),
          createdBy: actor.id,
        });
        const round = await repo.insertRound(tx, { caseId, decisionId: input.decisionId ?? null, title: input.title, letter: input.letter, sentOn, letterRecordId: letterRecord.id, createdBy: actor.id });
        const issued: IssuedLink[] = [];
        for (const p of planned) {
          const recipient = await repo.insertRecipient(tx, { roundId: round.id, organisationId: p.org.id, channel: p.channel, email: p.email, replyBy: p.replyBy });
          const vars = mailVars(round, c, p.org, p.replyBy, actor.name);
          if (p.channel === 'link') {
            const { token, expiresAt } = await issueLink(deps, tx, recipient, actor.id);
            issued.push({ recipientId: recipient.id, organisationName: p.org.name, url: linkUrl(token), expiresAt: expiresAt.toISOString() });
            const mv = { ...vars, link: linkUrl(token), expires: todayInSweden(expiresAt) };
            await queueMail(tx, { to: p.email!, subject: t('sv', 'remiss.mail.link.subject', mv), text: t('sv', 'remiss.mail.link.text', mv) });
          } else {
            const to = new Map<string, Locale>();
            if (p.email) to.set(p.email.toLowerCase(), 'sv');
            for (const h of await repo.handlersOf(tx, p.org.id, HANDLER_ROLES)) if (!to.has(h.email.toLowerCase())) to.set(h.email.toLowerCase(), h.locale === 'en' ? 'en' : 'sv');
            const mv = { ...vars, link: `${base}/remisser` };
            for (const [addr, locale] of to) await queueMail(tx, { to: addr, subject: t(locale, 'remiss.mail.internal.subject', mv), text: t(locale, 'remiss.mail.internal.text', mv) });
          }
        }
        // Reminders per reply date: N days before it and the day after it (the job skips those who have answered).
        const dates = [...new Set(planned.map((p) => p.replyBy))];
        for (const replyBy of dates) {
          const before = Date.parse(`${replyBy}T06:00:00Z`) - config.REMISS_REMINDER_DAYS_BEFORE * 86_400_000;
          const after = Date.parse(`${replyBy}T06:00:00Z`) + 86_400_000;
          // A reminder that would come before (or with) the remiss itself is left out.
          if (before > Date.now())
            await enqueueJob(tx, { type: REMISS_REMIND_JOB, payload: { roundId: round.id, replyBy, kind: 'before' }, uniqueKey: `${REMISS_REMIND_JOB}:${round.id}:${replyBy}:before`, runAt: new Date(before) });
          await enqueueJob(tx, { type: REMISS_REMIND_JOB, payload: { roundId: round.id, replyBy, kind: 'overdue' }, uniqueKey: `${REMISS_REMIND_JOB}:${round.id}:${replyBy}:overdue`, runAt: new Date(Math.max(after, Date.now())) });
        }
        await recordAudit(tx, ctx, {
          entityType: 'remiss_round',
          entityId: round.id,
          action: 'send',
          after: { ...round, recipients: planned.map((p) => ({ organisationId: p.org.id, channel: p.channel, email: p.email, replyBy: p.replyBy })) },
        });
        return { ...(await presentOne(tx, round.id, actor, tree, c)), issuedLinks: issued };
      });
    },

    async attachLetter(ctx: RequestContext, actor: Actor, roundId: string, file: UploadedFile) {
      const stored = await files.put(file.data);
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { round, case: c } = await managedRound(tx, actor, tree, roundId, true);
        if (round.status !== 'open') throw new AppError('REMISS_ROUND_CLOSED');
        await repo.insertRecordFile(tx, { recordId: round.letterRecordId!, filename: file.filename, contentType: file.contentType, size: stored.size, sha256: stored.sha256, uploadedBy: actor.id });
        await recordAudit(tx, ctx, { entityType: 'remiss_round', entityId: round.id, action: 'attach-letter', after: { filename: file.filename, size: stored.size, sha256: stored.sha256 } });
        return presentOne(tx, round.id, actor, tree, c);
      });
    },

    async close(ctx: RequestContext, actor: Actor, roundId: string, version: number) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { round, case: c } = await managedRound(tx, actor, tree, roundId, true);
        if (round.status !== 'open') throw new AppError('REMISS_ROUND_CLOSED');
        if (round.version !== version) throw new AppError('VERSION_CONFLICT');
        await repo.closeRound(tx, round);
        // Nothing left to remind of.
        await repo.deletePendingReminders(tx, REMISS_REMIND_JOB, roundId);
        await recordAudit(tx, ctx, { entityType: 'remiss_round', entityId: roundId, action: 'close', before: { status: 'open' }, after: { status: 'closed' } });
        return presentOne(tx, roundId, actor, tree, c);
      });
    },

  };
}
