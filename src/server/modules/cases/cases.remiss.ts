import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db, Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { caseRecordFiles, remissLinks, remissRecipients, remissReplies, remissRounds } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { FileStore } from '../../lib/filestore.ts';
import { t, type Locale } from '../../lib/i18n.ts';
import { enqueueJob } from '../../lib/jobs.ts';
import { queueMail } from '../../lib/mail.ts';
import { can, roleAllows, type Actor, type OrgTree } from '../../lib/policies.ts';
import { ROLES } from '../../../shared/roles.ts';
import type {
  CreateRemissRound,
  IssuedLink,
  PublicRemiss,
  RemissInboxItem,
  RemissRecipient,
  RemissRound,
  RemissRoundList,
  ReplyFields,
} from '../../../shared/schemas/remiss.ts';
import { hashToken, newToken } from '../users/index.ts';
import { REMISS_REMIND_JOB } from './cases.remiss.jobs.ts';
import { formatRecordNumber, insertRecord, mayHandle, visibleCaseOf, type CaseRow } from './cases.core.ts';
import { accessOf, caseVisibleSql, logIfSecret, mayHandleCase, recordSecretHiddenSql, type Access } from '../../access/index.ts';
import { addDays, todayInStockholm as todayInSweden } from '../../lib/time.ts';

/**
 * Remiss rounds (issue #5 point 4). A case officer sends a case on remiss to organisations in the
 * register, each with its own reply date. Internal recipients (organisations within the municipality)
 * answer in Trygg: the users who may handle cases on that organisation (cases.handle — the officers
 * who prepare the body's decisions and who may see a case's content; the reporter role only reports on
 * plan actions and cannot read the registry). External recipients answer through a personal link: a
 * random token mailed to them, stored only as its SHA-256, valid for that recipient's reply only,
 * until a configurable number of days after the reply date, revocable, and used up by the reply.
 * Every reply becomes an incoming record in the case; its file is stored through the file store.
 */


export interface UploadedFile {
  filename: string;
  data: Buffer;
  contentType: string;
}

interface OrgInfo {
  id: string;
  name: string;
  parentId: string | null;
  type: string;
  email: string | null;
  active: boolean;
}

/** The end of a day in Stockholm (23:59:59 CET; an hour later in summer). */
const endOfDay = (date: string) => new Date(`${date}T23:59:59+01:00`);

async function loadOrgs(ex: Executor): Promise<Map<string, OrgInfo>> {
  const rows = await ex.execute<{ id: string; name: string; parent_id: string | null; type: string; email: string | null; active: boolean }>(
    sql`select id, name, parent_id, type, email, active from organisations`,
  );
  return new Map(rows.rows.map((r) => [r.id, { id: r.id, name: r.name, parentId: r.parent_id, type: r.type, email: r.email, active: r.active }]));
}

/** Outside the municipality: its topmost ancestor (by the register's own parent links) is not the municipality. */
function isExternal(orgs: Map<string, OrgInfo>, id: string) {
  let cur = orgs.get(id);
  const seen = new Set<string>();
  while (cur?.parentId && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = orgs.get(cur.parentId);
  }
  return cur?.type !== 'municipality';
}

/** The roles whose holders answer a remiss to their organisation. */
const HANDLER_ROLES = ROLES.filter((r) => roleAllows(r, 'cases.handle'));

type RoundRow = typeof remissRounds.$inferSelect;
type RecipientRow = typeof remissRecipients.$inferSelect;

export function createRemissService({ db, files, config }: { db: Db; files: FileStore; config: Pick<Config, 'PUBLIC_URL' | 'REMISS_LINK_DAYS_AFTER' | 'REMISS_REMINDER_DAYS_BEFORE'> }) {
  const base = config.PUBLIC_URL.replace(/\/$/, '');
  const linkUrl = (token: string) => `${base}/remissvar/${token}`;


  async function roundRow(ex: Executor, roundId: string, lock = false) {
    const rows = await ex.execute<{ id: string }>(sql`select id from remiss_rounds where id = ${roundId} ${lock ? sql`for update` : sql``}`);
    if (!rows.rows[0]) throw new AppError('REMISS_ROUND_NOT_FOUND');
    return (await ex.query.remissRounds.findFirst({ where: (r, { eq: e }) => e(r.id, roundId) }))!;
  }

  /** The round, if the actor may manage its case (otherwise 404: nothing about it is revealed). */
  async function managedRound(ex: Executor, actor: Actor, tree: OrgTree, roundId: string, lock = false) {
    const round = await roundRow(ex, roundId, lock);
    let c: CaseRow;
    try {
      c = await visibleCaseOf(ex, actor, tree, round.caseId);
    } catch {
      throw new AppError('REMISS_ROUND_NOT_FOUND');
    }
    if (!mayHandle(actor, tree, c)) throw new AppError('FORBIDDEN');
    return { round, case: c };
  }

  /** Is the record secrecy-marked and not readable by the actor? (Its text and files are then withheld everywhere.) */
  async function secretHidden(access: Access, recordId: string) {
    const r = await db.execute<{ hidden: boolean }>(sql`select ${recordSecretHiddenSql(access)} as hidden from case_records r join cases c on c.id = r.case_id where r.id = ${recordId}`);
    return r.rows[0]?.hidden ?? false;
  }

  async function recipientRow(ex: Executor, id: string, lock = false): Promise<RecipientRow> {
    const rows = await ex.execute<{ id: string }>(sql`select id from remiss_recipients where id = ${id} ${lock ? sql`for update` : sql``}`);
    if (!rows.rows[0]) throw new AppError('REMISS_RECIPIENT_NOT_FOUND');
    return (await ex.query.remissRecipients.findFirst({ where: (r, { eq: e }) => e(r.id, id) }))!;
  }

  async function decisionRef(ex: Executor, decisionId: string | null) {
    if (!decisionId) return null;
    const r = await ex.execute<{ body: string; decided_on: string | null; paragraph: number | null; title: string }>(sql`
      select coalesce(o.short_name, o.name) as body, d.decided_on::text as decided_on, d.paragraph, d.title
      from decisions d join organisations o on o.id = d.body_organisation_id where d.id = ${decisionId}`);
    const d = r.rows[0];
    if (!d) return null;
    return d.decided_on ? `${d.body} ${d.decided_on}${d.paragraph ? ` § ${d.paragraph}` : ''}` : `${d.body}: ${d.title}`;
  }

  /** Rounds with recipients, links, replies and files, as the API shows them. */
  async function present(ex: Executor, rounds: RoundRow[], actor: Actor, tree: OrgTree, c: CaseRow): Promise<RemissRound[]> {
    if (!rounds.length) return [];
    const access = accessOf(actor, tree);
    const ids = rounds.map((r) => r.id);
    const orgs = await loadOrgs(ex);
    const recipients = await ex.execute<{
      id: string; round_id: string; organisation_id: string; channel: 'internal' | 'link'; email: string | null; reply_by: string; status: 'pending' | 'answered'; version: number;
    }>(sql`select id, round_id, organisation_id, channel, email, reply_by::text as reply_by, status, version from remiss_recipients where round_id = any(${uuids(ids)})`);
    const rIds = recipients.rows.map((r) => r.id);
    const links = await ex.execute<{ recipient_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null; created_at: Date }>(sql`
      select distinct on (recipient_id) recipient_id, expires_at, used_at, revoked_at, created_at
      from remiss_links where recipient_id = any(${uuids(rIds)}) order by recipient_id, created_at desc, id`);
    const replies = await ex.execute<{
      id: string; recipient_id: string; received_on: string; kind: 'decision' | 'no_objection' | 'reply'; deciding_body: string | null; decided_on: string | null;
      paragraph: number | null; text: string | null; via: 'internal' | 'link' | 'registered'; record_id: string; seq: number;
      file_id: string | null; filename: string | null; content_type: string | null; size: number | null; hidden: boolean;
    }>(sql`
      select p.id, p.recipient_id, p.received_on::text as received_on, p.kind, p.deciding_body, p.decided_on::text as decided_on, p.paragraph, p.text, p.via,
             p.record_id, r.seq, f.id as file_id, f.filename, f.content_type, f.size, ${recordSecretHiddenSql(access)} as hidden
      from remiss_replies p join case_records r on r.id = p.record_id join cases c on c.id = r.case_id
      left join lateral (select id, filename, content_type, size from case_record_files where record_id = r.id order by created_at desc, id limit 1) f on true
      where p.recipient_id = any(${uuids(rIds)})`);
    const letters = await ex.execute<{ round_id: string; seq: number; file_id: string | null; filename: string | null; content_type: string | null; size: number | null; hidden: boolean }>(sql`
      select o.id as round_id, r.seq, f.id as file_id, f.filename, f.content_type, f.size, ${recordSecretHiddenSql(access)} as hidden
      from remiss_rounds o join case_records r on r.id = o.letter_record_id join cases c on c.id = r.case_id
      left join lateral (select id, filename, content_type, size from case_record_files where record_id = r.id order by created_at desc, id limit 1) f on true
      where o.id = any(${uuids(ids)})`);
    const today = todayInSweden();
    const now = Date.now();
    const manages = mayHandleCase(access, c);
    const out: RemissRound[] = [];
    for (const round of rounds) {
      const decision = await decisionRef(ex, round.decisionId);
      const items: RemissRecipient[] = recipients.rows
        .filter((r) => r.round_id === round.id)
        .map((r): RemissRecipient => {
          const link = links.rows.find((l) => l.recipient_id === r.id);
          const reply = replies.rows.find((p) => p.recipient_id === r.id);
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
      const letter = letters.rows.find((l) => l.round_id === round.id);
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

  async function presentOne(ex: Executor, roundId: string, actor: Actor, tree: OrgTree, c: CaseRow) {
    const [row] = await present(ex, [(await roundRow(ex, roundId))!], actor, tree, c);
    return row;
  }

  /** Issues a new link for a recipient (revoking any earlier one still usable) and returns the token. */
  async function issueLink(tx: Executor, recipient: RecipientRow, by: string | null) {
    await tx
      .update(remissLinks)
      .set({ revokedAt: new Date() })
      .where(and(eq(remissLinks.recipientId, recipient.id), isNull(remissLinks.usedAt), isNull(remissLinks.revokedAt)));
    const token = newToken();
    const from = recipient.replyBy > todayInSweden() ? recipient.replyBy : todayInSweden();
    const expiresAt = endOfDay(addDays(from, config.REMISS_LINK_DAYS_AFTER));
    await tx.insert(remissLinks).values({ recipientId: recipient.id, tokenHash: hashToken(token), expiresAt, createdBy: by });
    return { token, expiresAt };
  }

  const mailVars = (round: RoundRow, c: CaseRow, org: OrgInfo, replyBy: string, sender: string) => ({
    title: round.title,
    registryNumber: c.registryNumber,
    organisation: org.name,
    replyBy,
    sender,
    letter: round.letter,
  });

  /** Users who answer for an organisation: a handling role granted on the organisation itself. */
  async function handlersOf(ex: Executor, orgId: string) {
    const r = await ex.execute<{ email: string; locale: string }>(sql`
      select distinct u.email, u.locale from role_grants g join users u on u.id = g.user_id and u.active
      where g.organisation_id = ${orgId} and g.role = any(${sql.param([...HANDLER_ROLES])}::text[])`);
    return r.rows;
  }

  /** Records a reply in the round: an incoming record in the case (with its file) and the reply itself. */
  async function recordReply(
    tx: Executor,
    ctx: RequestContext,
    input: { round: RoundRow; recipient: RecipientRow; c: CaseRow; org: OrgInfo; fields: ReplyFields; file?: UploadedFile; via: 'internal' | 'link' | 'registered'; actorId: string | null },
  ) {
    const { round, recipient, c, org, fields, file, via } = input;
    if (round.status !== 'open') throw new AppError('REMISS_ROUND_CLOSED');
    if (recipient.status === 'answered') throw new AppError('REMISS_ALREADY_ANSWERED');
    const receivedOn = via === 'link' ? todayInSweden() : (fields.receivedOn ?? todayInSweden());
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
      await tx.insert(caseRecordFiles).values({ recordId: record.id, filename: file.filename, contentType: file.contentType, size: stored.size, sha256: stored.sha256, uploadedBy: input.actorId });
    }
    const [reply] = await tx
      .insert(remissReplies)
      .values({
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
      })
      .returning();
    await tx
      .update(remissRecipients)
      .set({ status: 'answered', version: sql`${remissRecipients.version} + 1`, updatedAt: new Date() })
      .where(eq(remissRecipients.id, recipient.id));
    await recordAudit(tx, ctx, { entityType: 'remiss_recipient', entityId: recipient.id, action: 'reply', after: { ...reply, file: file ? { filename: file.filename, size: file.data.length } : null } });
    return reply;
  }

  /** A link from its token, checked step by step so that each refusal says what is wrong. */
  async function usableLink(ex: Executor, token: string, lock: boolean) {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new AppError('REMISS_LINK_INVALID');
    const rows = await ex.execute<{ id: string; recipient_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null }>(sql`
      select id, recipient_id, expires_at, used_at, revoked_at from remiss_links where token_hash = ${hashToken(token)} ${lock ? sql`for update` : sql``}`);
    const link = rows.rows[0];
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

  async function letterFileOf(ex: Executor, round: RoundRow) {
    if (!round.letterRecordId) return null;
    const [f] = await ex
      .select()
      .from(caseRecordFiles)
      .where(eq(caseRecordFiles.recordId, round.letterRecordId))
      .orderBy(sql`${caseRecordFiles.createdAt} desc, ${caseRecordFiles.id}`)
      .limit(1);
    return f ?? null;
  }

  async function download(f: typeof caseRecordFiles.$inferSelect | null) {
    if (!f) throw new AppError('FILE_MISSING');
    return { filename: f.filename, contentType: f.contentType, content: await files.get(f.sha256) };
  }

  return {
    async listForCase(actor: Actor, caseId: string): Promise<RemissRoundList> {
      const tree = await loadOrgTree(db);
      const c = await visibleCaseOf(db, actor, tree, caseId);
      const rounds = await db.select().from(remissRounds).where(eq(remissRounds.caseId, caseId)).orderBy(sql`${remissRounds.sentOn} desc, ${remissRounds.createdAt} desc`);
      const decisions = await db.execute<{ id: string; body: string; decided_on: string | null; paragraph: number | null; title: string }>(sql`
        select d.id, coalesce(o.short_name, o.name) as body, d.decided_on::text as decided_on, d.paragraph, d.title
        from decisions d join organisations o on o.id = d.body_organisation_id
        where d.case_id = ${caseId} and d.kind = 'remiss' order by d.decided_on nulls last, d.created_at`);
      return {
        case: { id: c.id, registryNumber: c.registryNumber, title: c.title, status: c.status },
        canManage: mayHandle(actor, tree, c),
        decisions: decisions.rows.map((d) => ({ id: d.id, title: d.title, ref: d.decided_on ? `${d.body} ${d.decided_on}${d.paragraph ? ` § ${d.paragraph}` : ''}` : `${d.body}: ${d.title}` })),
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
          const d = await tx.execute<{ kind: string }>(sql`select kind from decisions where id = ${input.decisionId} and case_id = ${caseId}`);
          if (d.rows[0]?.kind !== 'remiss') throw new AppError('VALIDATION_FAILED', [{ path: 'decisionId', message: 'Beslutet finns inte i ärendet eller är inget remissbeslut.' }]);
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
        const [round] = await tx
          .insert(remissRounds)
          .values({ caseId, decisionId: input.decisionId ?? null, title: input.title, letter: input.letter, sentOn, letterRecordId: letterRecord.id, createdBy: actor.id })
          .returning();
        const issued: IssuedLink[] = [];
        for (const p of planned) {
          const [recipient] = await tx
            .insert(remissRecipients)
            .values({ roundId: round.id, organisationId: p.org.id, channel: p.channel, email: p.email, replyBy: p.replyBy })
            .returning();
          const vars = mailVars(round, c, p.org, p.replyBy, actor.name);
          if (p.channel === 'link') {
            const { token, expiresAt } = await issueLink(tx, recipient, actor.id);
            issued.push({ recipientId: recipient.id, organisationName: p.org.name, url: linkUrl(token), expiresAt: expiresAt.toISOString() });
            const mv = { ...vars, link: linkUrl(token), expires: todayInSweden(expiresAt) };
            await queueMail(tx, { to: p.email!, subject: t('sv', 'remiss.mail.link.subject', mv), text: t('sv', 'remiss.mail.link.text', mv) });
          } else {
            const to = new Map<string, Locale>();
            if (p.email) to.set(p.email.toLowerCase(), 'sv');
            for (const h of await handlersOf(tx, p.org.id)) if (!to.has(h.email.toLowerCase())) to.set(h.email.toLowerCase(), h.locale === 'en' ? 'en' : 'sv');
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
        await tx.insert(caseRecordFiles).values({ recordId: round.letterRecordId!, filename: file.filename, contentType: file.contentType, size: stored.size, sha256: stored.sha256, uploadedBy: actor.id });
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
        await tx.update(remissRounds).set({ status: 'closed', closedAt: new Date(), version: round.version + 1, updatedAt: new Date() }).where(eq(remissRounds.id, roundId));
        // Nothing left to remind of.
        await tx.execute(sql`delete from jobs where type = ${REMISS_REMIND_JOB} and status = 'pending' and payload->>'roundId' = ${roundId}`);
        await recordAudit(tx, ctx, { entityType: 'remiss_round', entityId: roundId, action: 'close', before: { status: 'open' }, after: { status: 'closed' } });
        return presentOne(tx, roundId, actor, tree, c);
      });
    },

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
          const { token, expiresAt } = await issueLink(tx, recipient, actor.id);
          issued = { recipientId: recipient.id, organisationName: org.name, url: linkUrl(token), expiresAt: expiresAt.toISOString() };
          const mv = { ...mailVars(round, c, org, recipient.replyBy, actor.name), link: issued.url, expires: todayInSweden(expiresAt) };
          if (recipient.email) await queueMail(tx, { to: recipient.email, subject: t('sv', 'remiss.mail.reissued.subject', mv), text: t('sv', 'remiss.mail.reissued.text', mv) });
        } else {
          await tx
            .update(remissLinks)
            .set({ revokedAt: new Date() })
            .where(and(eq(remissLinks.recipientId, recipient.id), isNull(remissLinks.usedAt), isNull(remissLinks.revokedAt)));
        }
        await recordAudit(tx, ctx, { entityType: 'remiss_recipient', entityId: recipient.id, action: reissue ? 'reissue-link' : 'revoke-link', after: issued ? { expiresAt: issued.expiresAt } : null });
        return { round: await presentOne(tx, round.id, actor, tree, c), issuedLink: issued };
      });
    },

    /** A reply recorded in Trygg: by the case's handläggare (any recipient) or by the internal recipient itself. */
    async reply(ctx: RequestContext, actor: Actor, recipientId: string, fields: ReplyFields, file?: UploadedFile) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const recipient = await recipientRow(tx, recipientId, true);
        const round = await roundRow(tx, recipient.roundId);
        const c = (await tx.query.cases.findFirst({ where: (x, { eq: e }) => e(x.id, round.caseId) }))!;
        const v = accessOf(actor, tree);
        const visible = (await tx.execute(sql`select 1 from cases c where c.id = ${c.id} and ${caseVisibleSql(v)}`)).rows.length > 0;
        const manages = visible && mayHandle(actor, tree, c);
        const answersFor = recipient.channel === 'internal' && can(actor, 'cases.handle', recipient.organisationId, tree);
        if (!manages && !answersFor) throw new AppError(visible || answersFor ? 'FORBIDDEN' : 'REMISS_RECIPIENT_NOT_FOUND');
        const org = (await loadOrgs(tx)).get(recipient.organisationId)!;
        await recordReply(tx, ctx, { round, recipient, c, org, fields, file, via: manages ? 'registered' : 'internal', actorId: actor.id });
        if (manages) return { round: await presentOne(tx, round.id, actor, tree, c) };
        return { round: null };
      });
    },

    /** Remisser till oss: open and answered remisses to the organisations the actor answers for. */
    async inbox(actor: Actor): Promise<{ items: RemissInboxItem[] }> {
      const tree = await loadOrgTree(db);
      const access = accessOf(actor, tree);
      const scope = access.scope('cases.handle');
      const rows = await db.execute<{
        recipient_id: string; round_id: string; registry_number: string; title: string; letter: string; sent_on: string; round_status: 'open' | 'closed';
        organisation_name: string; reply_by: string; status: 'pending' | 'answered'; letter_record_id: string | null;
        reply_id: string | null; received_on: string | null; kind: 'decision' | 'no_objection' | 'reply' | null; deciding_body: string | null; decided_on: string | null;
        paragraph: number | null; text: string | null; via: 'internal' | 'link' | 'registered' | null; record_id: string | null; seq: number | null;
        reply_hidden: boolean; letter_hidden: boolean;
      }>(sql`
        select p.id as recipient_id, o.id as round_id, c.registry_number, o.title, o.letter, o.sent_on::text as sent_on, o.status as round_status,
               g.name as organisation_name, p.reply_by::text as reply_by, p.status, o.letter_record_id,
               y.id as reply_id, y.received_on::text as received_on, y.kind, y.deciding_body, y.decided_on::text as decided_on, y.paragraph, y.text, y.via, y.record_id, r.seq,
               coalesce(${recordSecretHiddenSql(access, 'c', 'r')}, false) as reply_hidden, coalesce(${recordSecretHiddenSql(access, 'c', 'lr')}, false) as letter_hidden
        from remiss_recipients p
        join remiss_rounds o on o.id = p.round_id
        join cases c on c.id = o.case_id
        join organisations g on g.id = p.organisation_id
        left join remiss_replies y on y.recipient_id = p.id
        left join case_records r on r.id = y.record_id
        left join case_records lr on lr.id = o.letter_record_id
        where p.channel = 'internal' and p.organisation_id = any(${uuids(scope)})
        order by (o.status = 'open' and p.status = 'pending') desc, p.reply_by, g.name
        limit 500`);
      const letterIds = rows.rows.map((r) => r.letter_record_id).filter((x): x is string => !!x);
      const lf = await db.execute<{ record_id: string; id: string; filename: string; content_type: string; size: number }>(sql`
        select distinct on (record_id) record_id, id, filename, content_type, size from case_record_files where record_id = any(${uuids(letterIds)}) order by record_id, created_at desc, id`);
      const today = todayInSweden();
      return {
        items: rows.rows.map((r) => {
          const f = lf.rows.find((x) => x.record_id === r.letter_record_id);
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
      const visible = (await db.execute(sql`select 1 from cases c where c.id = ${round.caseId} and ${caseVisibleSql(access)}`)).rows.length > 0;
      if (!visible) {
        const r = await db.execute(sql`select 1 from remiss_recipients where round_id = ${roundId} and channel = 'internal' and organisation_id = any(${uuids(access.scope('cases.handle'))})`);
        if (!r.rows.length) throw new AppError('REMISS_ROUND_NOT_FOUND');
      }
      if (round.letterRecordId && (await secretHidden(access, round.letterRecordId))) throw new AppError('REMISS_ROUND_NOT_FOUND');
      const file = download(await letterFileOf(db, round));
      if (ctx && round.letterRecordId) await logIfSecret(db, ctx, 'record', round.letterRecordId, 'download');
      return file;
    },

    /** A reply's file, for readers of the case and for those who answer for the recipient; a secret reply only for those who may read it. */
    async replyFile(actor: Actor, recipientId: string, ctx?: RequestContext) {
      const access = accessOf(actor, await loadOrgTree(db));
      const recipient = await recipientRow(db, recipientId);
      const round = await roundRow(db, recipient.roundId);
      const visible = (await db.execute(sql`select 1 from cases c where c.id = ${round.caseId} and ${caseVisibleSql(access)}`)).rows.length > 0;
      if (!visible && !(recipient.channel === 'internal' && access.can('cases.handle', recipient.organisationId))) throw new AppError('REMISS_RECIPIENT_NOT_FOUND');
      const reply = await db.query.remissReplies.findFirst({ where: (r, { eq: e }) => e(r.recipientId, recipientId) });
      if (!reply) throw new AppError('FILE_MISSING');
      if (await secretHidden(access, reply.recordId)) throw new AppError('REMISS_RECIPIENT_NOT_FOUND');
      const [f] = await db.select().from(caseRecordFiles).where(eq(caseRecordFiles.recordId, reply.recordId)).orderBy(sql`${caseRecordFiles.createdAt} desc`).limit(1);
      const file = download(f ?? null);
      if (ctx) await logIfSecret(db, ctx, 'record', reply.recordId, 'download');
      return file;
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
      return download(await letterFileOf(db, round));
    },

    async publicReply(ctx: RequestContext, token: string, fields: ReplyFields, file?: UploadedFile) {
      return db.transaction(async (tx) => {
        const { link, recipient, round } = await usableLink(tx, token, true);
        const c = (await tx.query.cases.findFirst({ where: (x, { eq: e }) => e(x.id, round.caseId) }))!;
        const org = (await loadOrgs(tx)).get(recipient.organisationId)!;
        const reply = await recordReply(tx, ctx, { round, recipient, c, org, fields: { ...fields, receivedOn: undefined }, file, via: 'link', actorId: null });
        await tx.update(remissLinks).set({ usedAt: new Date() }).where(eq(remissLinks.id, link.id));
        return { receivedOn: reply.receivedOn, recipientName: org.name };
      });
    },
  };
}

export type RemissService = ReturnType<typeof createRemissService>;
