import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor } from '../../db/client.ts';
import { caseRecordFiles, dispatchEntries } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import type { DocumentModel } from '../../lib/documents/model.ts';
import { renderPdf } from '../../lib/documents/pdf.ts';
import { AppError } from '../../lib/errors.ts';
import type { FileStore } from '../../lib/filestore.ts';
import type { Locale } from '../../lib/i18n.ts';
import { queueMail } from '../../lib/mail.ts';
import type { Actor, OrgTree } from '../../lib/policies.ts';
import type { dispatchResult, setDispatchList } from '../../../shared/schemas/decisions.ts';
import { formatRecordNumber, insertRecord, mayHandle } from './cases.core.ts';
import type { DecisionRow } from './cases.decisions.repo.ts';
import { meetingProcessRepo } from './cases.meetings.repo.ts';
import { bumpDecision, decisionReference, loadDecisions, orgInfo, visibleDecision } from './cases.decisions.shared.ts';
import { todayInStockholm } from '../../lib/time.ts';

/**
 * Dispatch (expediering) of a decided decision: every organisation on its dispatch list gets an e-mail
 * with an extract of the minutes (protokollsutdrag) as PDF, and an outgoing record of it in the case;
 * "akten" gets a drawn-up record of the extract. Recipients without an e-mail address are not skipped:
 * their outgoing record holds the extract for sending by hand, and the answer names them.
 */

const texts = {
  sv: {
    manual: 'Följande mottagare saknar e-postadress och har inte fått utdraget per e-post. Utdraget finns i deras utgående handling; expediera det manuellt: {{names}}.',
  },
  en: {
    manual: 'These recipients have no e-mail address and did not receive the extract by e-mail. The extract is in their outgoing record; dispatch it by hand: {{names}}.',
  },
};

const longDate = (iso: string) => new Intl.DateTimeFormat('sv-SE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export interface ExtractData {
  municipality: string;
  body: { name: string; shortName: string | null };
  decision: Pick<DecisionRow, 'decidedOn' | 'paragraph' | 'title' | 'reason' | 'kind'>;
  registryNumber: string;
  caseTitle: string;
  clauses: { text: string; toBodyName: string | null }[];
  recipients: string[];
  /** The adjustment of the § (with its minutes, or at once): the day and who adjusted it. */
  adjustment: { on: string; chair: string | null; adjusters: string[]; immediate: boolean } | null;
  /** The notice of the adjusted minutes on the notice board, when posted. */
  notice: { postedOn: string; appealEndsOn: string } | null;
  /** Who certifies the extract ("Rätt utdraget intygar"). */
  certifiedBy: string | null;
}

/** The extract of the minutes as a council document (rendered to PDF). Swedish: it goes to the recipients as it stands. */
export function extractModel(x: ExtractData): DocumentModel {
  const ref = decisionReference(x.decision, x.body);
  const blocks: DocumentModel['blocks'] = [{ type: 'heading', level: 2, text: `§ ${x.decision.paragraph} ${x.decision.title}` }];
  blocks.push({ type: 'paragraph', text: `Diarienummer ${x.registryNumber}`, muted: true });
  if (x.decision.reason) {
    blocks.push({ type: 'heading', level: 3, text: x.decision.kind === 'referral_back' ? 'Motivering till återremissen' : 'Ärendet' });
    blocks.push({ type: 'paragraph', text: x.decision.reason });
  }
  blocks.push({ type: 'heading', level: 3, text: 'Beslut' });
  if (x.decision.kind === 'referral_back') blocks.push({ type: 'paragraph', text: `${x.body.name} beslutar att återremittera ärendet.` });
  // Consecutive att-satser addressed to the same body share one lead-in ("… föreslår kommunfullmäktige besluta").
  let lead: string | null | undefined;
  for (const k of x.clauses) {
    if (k.toBodyName !== lead) {
      lead = k.toBodyName;
      blocks.push({ type: 'paragraph', text: lead ? `${x.body.name} föreslår ${lowerFirst(lead)} besluta` : `${x.body.name} beslutar` });
    }
    blocks.push({ type: 'paragraph', text: k.text });
  }
  if (x.recipients.length) {
    blocks.push({ type: 'heading', level: 3, text: 'Beslutet expedieras till' });
    blocks.push({ type: 'paragraph', text: x.recipients.join('\n') });
  }
  if (x.adjustment) {
    blocks.push({ type: 'heading', level: 3, text: 'Justering' });
    blocks.push({
      type: 'paragraph',
      text:
        `${x.adjustment.immediate ? 'Paragrafen justerades omedelbart' : 'Protokollet justerades'} ${x.adjustment.on}` +
        (x.adjustment.chair || x.adjustment.adjusters.length
          ? ` av ${[x.adjustment.chair ? `${x.adjustment.chair} (ordförande)` : null, ...x.adjustment.adjusters.map((a) => `${a} (justerare)`)].filter(Boolean).join(', ')}.`
          : '.'),
    });
  }
  if (x.notice)
    blocks.push({ type: 'paragraph', text: `Anslaget om justering sattes upp på kommunens digitala anslagstavla ${x.notice.postedOn}. Tiden för överklagande (laglighetsprövning) går ut ${x.notice.appealEndsOn}.` });
  blocks.push({ type: 'paragraph', text: x.certifiedBy ? `Rätt utdraget intygar\n\n${x.certifiedBy}` : 'Rätt utdraget intygar', muted: !x.certifiedBy });
  return {
    organisation: `${x.municipality} — ${x.body.name}`,
    title: 'Protokollsutdrag',
    subtitle: `${x.body.name}, sammanträde ${longDate(x.decision.decidedOn!)}`,
    meta: [
      { label: 'Organ', value: x.body.name },
      { label: 'Sammanträdesdatum', value: x.decision.decidedOn! },
      { label: 'Paragraf', value: `§ ${x.decision.paragraph}` },
      { label: 'Diarienummer', value: x.registryNumber },
      { label: 'Ärende', value: x.caseTitle },
      ...(x.adjustment ? [{ label: 'Justerat', value: x.adjustment.on }] : []),
    ],
    blocks,
    lang: 'sv-SE',
    footer: `Protokollsutdrag ${ref}, ${x.registryNumber}`,
  };
}

export function createDispatchService({ db, files, today = () => todayInStockholm() }: { db: Db; files: FileStore; today?: () => string }) {
  async function handled(ex: Executor, actor: Actor, tree: OrgTree, id: string, lock = false) {
    const found = await visibleDecision(ex, actor, tree, id, lock);
    if (!mayHandle(actor, tree, found.case)) throw new AppError('FORBIDDEN');
    return found;
  }

  async function extractData(ex: Executor, d: DecisionRow, c: { registryNumber: string; title: string }, tree: OrgTree, certifiedBy: string | null = null): Promise<ExtractData> {
    const clauses = await ex.execute<{ text: string; to_body_name: string | null }>(sql`
      select k.text, o.name as to_body_name from decision_clauses k left join organisations o on o.id = k.to_body_organisation_id
      where k.decision_id = ${d.id} order by k.ordinal`);
    const entries = await ex.execute<{ kind: string; name: string | null }>(sql`
      select e.kind, o.name from decision_dispatch_entries e left join organisations o on o.id = e.organisation_id
      where e.decision_id = ${d.id} order by e.kind desc, o.name`);
    // Who adjusted the § (the signatures of its minutes, or of the § when adjusted at once).
    const signed = d.meetingId ? (await meetingProcessRepo.signatures(ex, d.meetingId)).filter((a) => a.signed_on && a.decision_id === (d.immediateAdjustment ? d.id : null)) : [];
    const signers = { chair: signed.find((a) => a.role === 'chair')?.name ?? null, adjusters: signed.filter((a) => a.role === 'adjuster').map((a) => a.name) };
    const notice = (await meetingProcessRepo.noticesOfDecisions(ex, [d.id])).find((n) => !d.immediateAdjustment || n.decision_id === d.id);
    const orgs = await orgInfo(ex, [d.bodyOrganisationId, ...(tree.rootId ? [tree.rootId] : [])]);
    const body = orgs.get(d.bodyOrganisationId)!;
    return {
      municipality: (tree.rootId && orgs.get(tree.rootId)?.name) || '',
      body: { name: body.name, shortName: body.short_name },
      decision: d,
      registryNumber: c.registryNumber,
      caseTitle: c.title,
      clauses: clauses.rows.map((k) => ({ text: k.text, toBodyName: k.to_body_name })),
      recipients: entries.rows.map((e) => (e.kind === 'file' ? 'Akten' : e.name ?? '')),
      adjustment: d.adjustedOn ? { on: d.adjustedOn, immediate: d.immediateAdjustment, ...signers } : null,
      notice: notice ? { postedOn: notice.posted_on, appealEndsOn: notice.appeal_ends_on } : null,
      certifiedBy,
    };
  }

  return {
    /** The extract (protokollsutdrag) of a decided decision as PDF. */
    async extractPdf(actor: Actor, id: string) {
      const tree = await loadOrgTree(db);
      const { decision: d, case: c } = await visibleDecision(db, actor, tree, id);
      if (d.status !== 'decided') throw new AppError('DECISION_NOT_DECIDED');
      const data = await extractData(db, d, c, tree, actor.name);
      return { filename: `Protokollsutdrag ${decisionReference(d, data.body)}.pdf`, content: await renderPdf(extractModel(data)) };
    },

    /**
     * Replaces the dispatch list: organisations from the register and, with `file`, the case file.
     * Entries already dispatched stay (removing one is a 409); the list may grow after dispatch.
     */
    async setList(ctx: RequestContext, actor: Actor, id: string, input: z.infer<typeof setDispatchList>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        await handled(tx, actor, tree, id, true);
        await bumpDecision(tx, id, input.version);
        const wanted = [...new Set(input.organisationIds)];
        const orgs = await orgInfo(tx, wanted);
        for (const [i, o] of wanted.entries()) {
          const info = orgs.get(o);
          if (!info || !tree.has(o)) throw new AppError('VALIDATION_FAILED', [{ path: `organisationIds.${i}`, message: 'ORGANISATION_NOT_FOUND' }]);
          if (!info.active) throw new AppError('VALIDATION_FAILED', [{ path: `organisationIds.${i}`, message: 'ORGANISATION_INACTIVE' }]);
        }
        const before = await tx.select().from(dispatchEntries).where(eq(dispatchEntries.decisionId, id));
        const keep = (e: (typeof before)[number]) => (e.kind === 'file' ? input.file : wanted.includes(e.organisationId!));
        const removed = before.filter((e) => !keep(e));
        if (removed.some((e) => e.status !== 'pending')) throw new AppError('DISPATCH_ENTRY_DONE');
        if (removed.length) await tx.delete(dispatchEntries).where(inArray(dispatchEntries.id, removed.map((e) => e.id)));
        const have = new Set(before.map((e) => e.organisationId));
        const added = wanted.filter((o) => !have.has(o));
        if (added.length) await tx.insert(dispatchEntries).values(added.map((o) => ({ decisionId: id, kind: 'organisation', organisationId: o })));
        if (input.file && !before.some((e) => e.kind === 'file')) await tx.insert(dispatchEntries).values({ decisionId: id, kind: 'file', organisationId: null });
        const [out] = await loadDecisions(tx, [id], actor, tree);
        await recordAudit(tx, ctx, { entityType: 'decision', entityId: id, action: 'dispatch_list', before: before.map((e) => e.organisationId ?? 'akten'), after: out.dispatch.map((e) => e.organisationId ?? 'akten') });
        return out;
      });
    },

    /**
     * Dispatches a decided decision to the entries not yet dispatched: builds the extract, stores it,
     * registers the records and queues the e-mails, all in one transaction.
     */
    async dispatch(ctx: RequestContext, actor: Actor, id: string, version: number, locale: Locale = 'sv'): Promise<z.infer<typeof dispatchResult>> {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const { decision: d, case: c } = await handled(tx, actor, tree, id, true);
        if (d.status !== 'decided') throw new AppError('DECISION_NOT_DECIDED');
        // Dispatch follows adjustment (a delegated decision is not in minutes and needs none).
        if (!d.adjustedOn && d.kind !== 'delegation') throw new AppError('DECISION_NOT_ADJUSTED');
        await bumpDecision(tx, id, version);
        const pending = await tx.select().from(dispatchEntries).where(and(eq(dispatchEntries.decisionId, id), eq(dispatchEntries.status, 'pending')));
        if (!pending.length) throw new AppError('NOTHING_TO_DISPATCH');

        const data = await extractData(tx, d, c, tree, actor.name);
        const ref = decisionReference(d, data.body);
        const pdf = await renderPdf(extractModel(data));
        const stored = await files.put(pdf);
        const filename = `Protokollsutdrag ${ref}.pdf`.replace(/[/\\]/g, '-');
        const recordDate = today();
        const orgs = await orgInfo(tx, pending.flatMap((e) => (e.organisationId ? [e.organisationId] : [])));

        const registerRecord = async (direction: 'outgoing' | 'drawn_up', title: string, org?: { id: string; name: string }) => {
          const record = await insertRecord(tx, {
            caseId: c.id,
            direction,
            recordDate,
            title,
            counterpart: org?.name ?? null,
            counterpartOrganisationId: org?.id ?? null,
            secrecyRef: c.secrecyRef,
            createdBy: actor.id,
            isExample: d.isExample,
          });
          await tx.insert(caseRecordFiles).values({ recordId: record.id, filename, contentType: 'application/pdf', size: stored.size, sha256: stored.sha256, uploadedBy: actor.id });
          return record;
        };

        const result: z.infer<typeof dispatchResult> = { decision: undefined as never, sent: [], manual: [], filed: null, message: null };
        const at = new Date();
        // Organisations in name order, then the file: the records get their numbers in that order.
        const ordered = [...pending].sort((a, b) => (a.kind === b.kind ? (orgs.get(a.organisationId!)?.name ?? '').localeCompare(orgs.get(b.organisationId!)?.name ?? '', 'sv') : a.kind === 'file' ? 1 : -1));
        for (const e of ordered) {
          if (e.kind === 'file') {
            const record = await registerRecord('drawn_up', `Protokollsutdrag ${ref}: ${d.title}`);
            await tx.update(dispatchEntries).set({ status: 'filed', recordId: record.id, dispatchedAt: at, dispatchedBy: actor.id }).where(eq(dispatchEntries.id, e.id));
            result.filed = { recordNumber: formatRecordNumber(c.registryNumber, record.seq) };
            continue;
          }
          const org = orgs.get(e.organisationId!)!;
          const email = org.email?.trim() || null;
          const record = await registerRecord('outgoing', `Protokollsutdrag ${ref}: ${d.title}${email ? '' : ' (expedieras manuellt)'}`, { id: org.id, name: org.name });
          const recordNumber = formatRecordNumber(c.registryNumber, record.seq);
          let jobId: number | null = null;
          if (email) {
            jobId = await queueMail(tx, {
              to: email,
              subject: `Protokollsutdrag ${ref}: ${d.title} (${c.registryNumber})`,
              text:
                `Till ${org.name}\n\n` +
                `Bifogat finns ett utdrag ur protokollet från ${data.body.name} ${d.decidedOn} § ${d.paragraph}, ärende ${c.registryNumber} ${c.title}.\n\n` +
                `Handlingen är registrerad som ${recordNumber}.\n\nMed vänlig hälsning\n${data.municipality}\n`,
              attachments: [{ filename, contentType: 'application/pdf', sha256: stored.sha256 }],
            });
            result.sent.push({ organisationId: org.id, name: org.name, email, recordNumber });
          } else result.manual.push({ organisationId: org.id, name: org.name, recordNumber });
          await tx
            .update(dispatchEntries)
            .set({ status: email ? 'sent' : 'manual', email, recordId: record.id, jobId, dispatchedAt: at, dispatchedBy: actor.id })
            .where(eq(dispatchEntries.id, e.id));
        }
        if (result.manual.length) result.message = texts[locale].manual.replace('{{names}}', result.manual.map((m) => m.name).join(', '));
        [result.decision] = await loadDecisions(tx, [id], actor, tree);
        await recordAudit(tx, ctx, {
          entityType: 'decision',
          entityId: id,
          action: 'dispatch',
          after: { sent: result.sent, manual: result.manual, filed: result.filed, sha256: stored.sha256 },
        });
        return result;
      });
    },
  };
}

export type DispatchService = ReturnType<typeof createDispatchService>;
