import type { Executor } from '../../db/client.ts';
import { can, type Actor, type OrgTree } from '../../lib/policies.ts';
import type { RemissRecipient, RemissRound } from '../../../shared/schemas/remiss.ts';
import { accessOf, mayHandleCase, recordSecretHiddenSql } from '../../access/index.ts';
import { todayInStockholm as todayInSweden } from '../../lib/time.ts';
import { formatRecordNumber, type CaseRow } from './cases.core.ts';
import { remissRepo as repo, type RoundRow } from './cases.remiss.repo.ts';
import { isExternal, loadOrgs, roundRow } from './cases.remiss.shared.ts';

/**
 * Remiss rounds as the API shows them: recipients with their link state and reply, the letter, counts
 * and what the actor may do. A secrecy-marked letter or reply shows that it exists, not what it says.
 */

/** "KSAU 2019-02-25 § 48" (or "KSAU: title" while undecided): the remiss decision as it is cited. */
async function decisionRef(ex: Executor, decisionId: string | null) {
  if (!decisionId) return null;
  const d = await repo.decisionRefRow(ex, decisionId);
  if (!d) return null;
  return d.decided_on ? `${d.body} ${d.decided_on}${d.paragraph ? ` § ${d.paragraph}` : ''}` : `${d.body}: ${d.title}`;
}

/** Rounds with recipients, links, replies and files, as the API shows them. */
export async function present(ex: Executor, rounds: RoundRow[], actor: Actor, tree: OrgTree, c: CaseRow): Promise<RemissRound[]> {
  if (!rounds.length) return [];
  const access = accessOf(actor, tree);
  const ids = rounds.map((r) => r.id);
  const orgs = await loadOrgs(ex);
  const recipients = await repo.recipientsOf(ex, ids);
  const rIds = recipients.map((r) => r.id);
  const links = await repo.latestLinks(ex, rIds);
  const replies = await repo.repliesOf(ex, rIds, recordSecretHiddenSql(access));
  const letters = await repo.lettersOf(ex, ids, recordSecretHiddenSql(access));
  const today = todayInSweden();
  const now = Date.now();
  const manages = mayHandleCase(access, c);
  const out: RemissRound[] = [];
  for (const round of rounds) {
    const decision = await decisionRef(ex, round.decisionId);
    const items: RemissRecipient[] = recipients
      .filter((r) => r.round_id === round.id)
      .map((r): RemissRecipient => {
        const link = links.find((l) => l.recipient_id === r.id);
        const reply = replies.find((p) => p.recipient_id === r.id);
        const org = orgs.get(r.organisation_id);
        const answerable = round.status === 'open' && r.status === 'pending';
        const actions: RemissRecipient['allowedActions'] = [];
        if (answerable && (manages || (r.channel === 'internal' && can(actor, 'cases.handle', r.organisation_id, tree)))) actions.push('answer');
        if (answerable && manages && r.channel === 'link') actions.push('manageLink');
        return {
          id: r.id,
          organisationId: r.organisation_id,
          organisationName: org?.name ?? '',
          external: isExternal(orgs, r.organisation_id),
          channel: r.channel,
          email: r.email,
          replyBy: r.reply_by,
          status: r.status,
          overdue: r.status === 'pending' && round.status === 'open' && r.reply_by < today,
          noReply: r.status === 'pending' && round.status === 'closed',
          version: r.version,
          link: link
            ? {
                state: link.used_at ? ('used' as const) : link.revoked_at ? ('revoked' as const) : new Date(link.expires_at).getTime() < now ? ('expired' as const) : ('active' as const),
                expiresAt: new Date(link.expires_at).toISOString(),
                issuedAt: new Date(link.created_at).toISOString(),
              }
            : r.channel === 'link'
              ? { state: 'none' as const, expiresAt: null, issuedAt: null }
              : null,
          reply: reply
            ? {
                id: reply.id,
                receivedOn: reply.received_on,
                kind: reply.kind,
                decidingBody: reply.deciding_body,
                decidedOn: reply.decided_on,
                paragraph: reply.paragraph,
                // A secrecy-marked reply: that it came, not what it says or holds.
                text: reply.hidden ? null : reply.text,
                secret: reply.hidden,
                via: reply.via,
                recordId: reply.record_id,
                recordNumber: formatRecordNumber(c.registryNumber, reply.seq),
                file: reply.file_id && !reply.hidden ? { id: reply.file_id, filename: reply.filename!, contentType: reply.content_type!, size: reply.size! } : null,
              }
            : null,
          allowedActions: actions,
        };
      })
      .sort((a, b) => a.organisationName.localeCompare(b.organisationName, 'sv'));
    const letter = letters.find((l) => l.round_id === round.id);
    const answered = items.filter((i) => i.status === 'answered').length;
    out.push({
      id: round.id,
      caseId: round.caseId,
      decisionId: round.decisionId,
      decisionRef: decision,
      title: round.title,
      letter: letter?.hidden ? '' : round.letter,
      letterSecret: !!letter?.hidden,
      letterFile: letter?.file_id && !letter.hidden ? { id: letter.file_id, filename: letter.filename!, contentType: letter.content_type!, size: letter.size! } : null,
      letterRecordNumber: letter ? formatRecordNumber(c.registryNumber, letter.seq) : null,
      sentOn: round.sentOn,
      exampleNote: round.exampleNote ?? null,
      status: round.status as 'open' | 'closed',
      closedAt: round.closedAt?.toISOString() ?? null,
      version: round.version,
      counts: { total: items.length, answered, outstanding: items.length - answered, overdue: items.filter((i) => i.overdue).length },
      recipients: items,
      allowedActions: manages && round.status === 'open' ? ['manage'] : [],
    });
  }
  return out;
}

export async function presentOne(ex: Executor, roundId: string, actor: Actor, tree: OrgTree, c: CaseRow) {
  const [row] = await present(ex, [(await roundRow(ex, roundId))!], actor, tree, c);
  return row;
}
