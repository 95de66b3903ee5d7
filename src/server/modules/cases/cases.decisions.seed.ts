import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { decisionClauses, decisions, dispatchEntries } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import lund from '../../seed/lund-organisations.json' with { type: 'json' };

/**
 * The decisions of KS 2018/0316 (../shared/domain/lund-organisations.json → case_KS_2018_0316):
 * - KSAU 2019-02-25 § 48: the proposal is sent on remiss (decided);
 * - KS 2019-12-04 § 333: referral back with its reason (decided; in the case's history);
 * - the officer's proposed att-satser (proposed_resolutions) as a DRAFT decision of KS: three proposals
 *   to KF and one of KS's own; the third repeals *Strategi för våld i nära relationer 2017-2022*
 *   (its documentId is left for the governing-document register to fill in), the second and fourth
 *   give assignments (to KS and Kommunkontoret);
 * - the draft's dispatch list from dispatch_to (ALL_COMMITTEES_AND_BOARDS: every active committee and
 *   board except KS and its own committees; AKTEN: the case file).
 */
export interface DecisionsDemoIds {
  /** The case KS 2018/0316. */
  caseId: string;
  /** Organisation ids by their key in lund-organisations.json (kf, ks, ksau, kk, kk-ts, bra, …). */
  orgs: Map<string, string> | Record<string, string>;
  /** The user recorded as creator (e.g. the handläggare), if any. */
  createdBy?: string | null;
  /** The governing document the third att-sats repeals, when the register already has it. */
  repealDocumentId?: string | null;
  /** Due date for the assignments of the draft (the memo gives none; required before the decision is marked decided). */
  assignmentDueDate?: string | null;
}

const system: RequestContext = { actor: undefined, requestId: 'seed' };
const data = lund.case_KS_2018_0316 as {
  events: { date: string; body: string; paragraph?: number; kind: string; text: string }[];
  proposed_resolutions: { to: string; text: string }[];
  dispatch_to: string[];
};

export async function seedDecisionsDemo(tx: Executor, ids: DecisionsDemoIds) {
  const org = (key: string) => {
    const id = ids.orgs instanceof Map ? ids.orgs.get(key) : ids.orgs[key];
    if (!id) throw new Error(`seedDecisionsDemo: no organisation "${key}"`);
    return id;
  };
  const createdBy = ids.createdBy ?? null;
  const meeting = (body: string, date: string) =>
    tx.execute<{ id: string }>(sql`
      insert into meetings (body_organisation_id, meeting_date) values (${org(body)}, ${date})
      on conflict (body_organisation_id, meeting_date) do update set updated_at = meetings.updated_at returning id`);

  const remissEvent = data.events.find((e) => e.kind === 'remiss')!;
  const referralEvent = data.events.find((e) => e.kind === 'återremiss')!;

  // KSAU 2019-02-25 § 48: remiss.
  const remissMeeting = (await meeting(remissEvent.body, remissEvent.date)).rows[0].id;
  const [remiss] = await tx
    .insert(decisions)
    .values({
      caseId: ids.caseId,
      meetingId: remissMeeting,
      bodyOrganisationId: org(remissEvent.body),
      decidedOn: remissEvent.date,
      paragraph: remissEvent.paragraph!,
      kind: 'remiss',
      status: 'decided',
      title: 'Förslag till program och plan för trygghets- och säkerhetsarbete i Lunds kommun – remiss',
      createdBy,
      isExample: true,
    })
    .returning();
  await tx.insert(decisionClauses).values({
    decisionId: remiss.id,
    ordinal: 1,
    text: 'att sända förslaget på remiss till nämnder, bolag, Lunds BRÅ, Räddningstjänsten Syd, polisen och Försvarsmakten',
  });
  await recordAudit(tx, system, { entityType: 'decision', entityId: remiss.id, action: 'seed', after: remiss });

  // KS 2019-12-04 § 333: referral back, with its reason.
  const reason = referralEvent.text.replace(/^Återremiss:\s*/, '');
  const referralMeeting = (await meeting(referralEvent.body, referralEvent.date)).rows[0].id;
  const [referral] = await tx
    .insert(decisions)
    .values({
      caseId: ids.caseId,
      meetingId: referralMeeting,
      bodyOrganisationId: org(referralEvent.body),
      decidedOn: referralEvent.date,
      paragraph: referralEvent.paragraph!,
      kind: 'referral_back',
      status: 'decided',
      title: 'Förslag till program och plan för trygghets- och säkerhetsarbete i Lunds kommun – återremiss',
      reason,
      createdBy,
      isExample: true,
    })
    .returning();
  await tx.insert(decisionClauses).values({ decisionId: referral.id, ordinal: 1, text: 'att återremittera ärendet till kommunkontoret' });
  await recordAudit(tx, system, { entityType: 'decision', entityId: referral.id, action: 'seed', after: referral });
  await recordAudit(tx, system, {
    entityType: 'case',
    entityId: ids.caseId,
    action: 'referral_back',
    after: { status: 'open', reopened: false, reason, decisionId: referral.id, reference: `KS ${referralEvent.date} § ${referralEvent.paragraph}` },
  });

  // The proposed att-satser as a draft decision of KS.
  const [proposal] = await tx
    .insert(decisions)
    .values({
      caseId: ids.caseId,
      bodyOrganisationId: org('ks'),
      kind: 'decision',
      status: 'draft',
      title: 'Program och plan för trygghet och säkerhet i Lunds kommun',
      reason: 'Kommunkontorets tjänsteskrivelse 2020-01-09 med reviderat förslag efter remiss och återremiss.',
      createdBy,
      isExample: true,
    })
    .returning();
  for (const [i, r] of data.proposed_resolutions.entries()) {
    const toBody = r.to === 'ks' ? null : org(r.to);
    const repeal = /upphör att gälla/.test(r.text);
    const assignee = /ge kommunstyrelsen i uppdrag/.test(r.text) ? org('ks') : /ge kommunkontoret i uppdrag/.test(r.text) ? org('kk') : null;
    await tx.insert(decisionClauses).values({
      decisionId: proposal.id,
      ordinal: i + 1,
      text: r.text,
      toBodyOrganisationId: toBody,
      effect: repeal ? 'repeal' : assignee ? 'assignment' : 'none',
      assigneeOrganisationId: assignee,
      dueDate: assignee ? (ids.assignmentDueDate ?? null) : null,
      documentId: repeal ? (ids.repealDocumentId ?? null) : null,
      condition: /under förutsättning att .*$/.exec(r.text)?.[0] ?? null,
    });
  }
  // Dispatch list: the named organisations, every committee and board (not KS itself or its own committees), and the file.
  const recipients = new Set<string>();
  let file = false;
  for (const key of data.dispatch_to) {
    if (key === 'AKTEN') file = true;
    else if (key === 'ALL_COMMITTEES_AND_BOARDS') {
      const all = await tx.execute<{ id: string }>(sql`
        select id from organisations where active and type in ('committee', 'board')
          and id <> ${org('ks')} and parent_id is distinct from ${org('ks')} order by name`);
      for (const r of all.rows) recipients.add(r.id);
    } else recipients.add(org(key));
  }
  if (recipients.size) await tx.insert(dispatchEntries).values([...recipients].map((o) => ({ decisionId: proposal.id, kind: 'organisation', organisationId: o })));
  if (file) await tx.insert(dispatchEntries).values({ decisionId: proposal.id, kind: 'file', organisationId: null });
  await recordAudit(tx, system, { entityType: 'decision', entityId: proposal.id, action: 'seed', after: proposal });

  return { remissDecisionId: remiss.id, referralBackDecisionId: referral.id, proposalDecisionId: proposal.id };
}
