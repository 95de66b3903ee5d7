import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { assignments, decisionClauses, decisions, dispatchEntries, meetingItems, meetingNotices } from '../../db/schema/index.ts';
import { appealEndsOn } from '../../../shared/appeal.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import lund from '../../seed/lund-organisations.json' with { type: 'json' };

/**
 * The decisions of KS 2018/0316 (../shared/domain/lund-organisations.json → case_KS_2018_0316), the case's
 * way through the bodies (KS → KSAU → KS → KSAU → KS → KF):
 * - KS 2018-05-22: the assignment to Kommunkontoret to draw up the program (decided, with its assignment,
 *   done when the office's report came 2020-01-09; the memo gives no §: the § is example data);
 * - KSAU 2019-02-25 § 48: the proposal is sent on remiss (decided);
 * - KS 2019-12-04 § 333: referral back with its reason (decided; in the case's history);
 * - KSAU's preparation of the revised proposal (decided; the memo gives neither date nor §: example data):
 *   the officer's proposed att-satser (proposed_resolutions), three proposals to KF and one to KS;
 * - the same att-satser as a DRAFT decision of KS, prepared by KSAU's: three proposals to KF (the first
 *   adopts the program, the third repeals *Strategi för våld i nära relationer 2017-2022*: both take effect
 *   when KF decides, after KS forwards its proposal) and KS's own fourth, an assignment to Kommunkontoret
 *   recorded with its condition ("under förutsättning att kommunfullmäktige antar …");
 * - each decided decision's meeting with adjusted minutes and an expired notice (dates: example data);
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
  /** The program the first att-sats adopts, when the register has it (as a draft). */
  adoptDocumentId?: string | null;
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
  /**
   * The minutes of a past meeting, adjusted and posted as the demo assumes (the memo gives neither): adjusted
   * on the meeting day, the notice posted the same day, the appeal period long over; all example data.
   */
  const adjustedAndPosted = async (meetingId: string, date: string) => {
    await tx.execute(sql`
      update meetings set adjusted_on = ${date}, minutes_kept_at = 'Kommunkontoret, Kyrkogatan 21, Lund',
        example_note = 'Justeringsdag och anslagsdag är exempeldata: tjänsteskrivelsen anger bara sammanträdets datum.'
      where id = ${meetingId}`);
    await tx.execute(sql`update decisions set adjusted_on = ${date} where meeting_id = ${meetingId} and status = 'decided'`);
    await tx.insert(meetingNotices).values({ meetingId, postedOn: date, appealEndsOn: appealEndsOn(date), isExample: true }).onConflictDoNothing();
  };

  const remissEvent = data.events.find((e) => e.kind === 'remiss')!;
  const referralEvent = data.events.find((e) => e.kind === 'återremiss')!;

  // KS 2018-05-22: the assignment to draw up the program (the memo: "Kommunkontoret fick den 22 maj 2018 i
  // uppdrag av kommunstyrelsen …"); no § in the memo.
  const assignmentEvent = data.events.find((e) => e.kind === 'uppdrag')!;
  const assignmentMeeting = (await meeting(assignmentEvent.body, assignmentEvent.date)).rows[0].id;
  const [assignmentDecision] = await tx
    .insert(decisions)
    .values({
      caseId: ids.caseId,
      meetingId: assignmentMeeting,
      bodyOrganisationId: org(assignmentEvent.body),
      decidedOn: assignmentEvent.date,
      paragraph: 150,
      kind: 'decision',
      status: 'decided',
      title: 'Uppdrag att ta fram förslag till program för trygghets- och säkerhetsarbetet i Lunds kommun',
      reason: 'Det finns inget samlat styrdokument för hur kommunen ska arbeta med säkerhetsarbetets delområden.',
      exampleNote: 'Paragrafen (§ 150) är exempeldata: tjänsteskrivelsen anger datumet 22 maj 2018 men inte paragrafen.',
      createdBy,
      isExample: true,
    })
    .returning();
  const [assignmentClause] = await tx
    .insert(decisionClauses)
    .values({
      decisionId: assignmentDecision.id,
      ordinal: 1,
      text: 'att uppdra åt kommunkontoret att ta fram förslag till ett program för trygghets- och säkerhetsarbetet i Lunds kommun',
      effect: 'assignment',
      assigneeOrganisationId: org('kk'),
    })
    .returning();
  await tx.insert(assignments).values({
    clauseId: assignmentClause.id,
    decisionId: assignmentDecision.id,
    caseId: ids.caseId,
    organisationId: org('kk'),
    text: assignmentClause.text,
    status: 'done',
    doneOn: '2020-01-09',
    isExample: true,
  });
  await adjustedAndPosted(assignmentMeeting, assignmentEvent.date);
  await recordAudit(tx, system, { entityType: 'decision', entityId: assignmentDecision.id, action: 'seed', after: assignmentDecision });

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
    text: 'att sända förslaget på remiss till kommunens nämnder, bolag, Lunds brottsförebyggande råd, Räddningstjänsten Syd, polisen och Försvarsmakten',
  });
  await adjustedAndPosted(remissMeeting, remissEvent.date);
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
  await adjustedAndPosted(referralMeeting, referralEvent.date);
  await recordAudit(tx, system, { entityType: 'decision', entityId: referral.id, action: 'seed', after: referral });
  await recordAudit(tx, system, {
    entityType: 'case',
    entityId: ids.caseId,
    action: 'referral_back',
    after: { status: 'open', reopened: false, reason, decisionId: referral.id, reference: `KS ${referralEvent.date} § ${referralEvent.paragraph}` },
  });

  // The proposed att-satser: KSAU's preparation (decided; date and § are example data), then KS's draft.
  const clauseRows = data.proposed_resolutions.map((r) => {
    const repeal = /upphör att gälla/.test(r.text);
    const adopt = /^att anta Program/.test(r.text) && !!ids.adoptDocumentId;
    const assignee = /ge kommunstyrelsen i uppdrag/.test(r.text) ? org('ks') : /ge kommunkontoret i uppdrag/.test(r.text) ? org('kk') : null;
    return {
      text: r.text,
      to: org(r.to),
      effect: repeal ? 'repeal' : adopt ? 'adopt' : assignee ? 'assignment' : 'none',
      assigneeOrganisationId: assignee,
      dueDate: assignee ? (ids.assignmentDueDate ?? null) : null,
      documentId: repeal ? (ids.repealDocumentId ?? null) : adopt ? (ids.adoptDocumentId ?? null) : null,
      condition: /under förutsättning att .*$/.exec(r.text)?.[0] ?? null,
    };
  });
  const KSAU_DATE = '2020-01-20';
  const prepMeeting = (await meeting('ksau', KSAU_DATE)).rows[0].id;
  const [prep] = await tx
    .insert(decisions)
    .values({
      caseId: ids.caseId,
      meetingId: prepMeeting,
      bodyOrganisationId: org('ksau'),
      decidedOn: KSAU_DATE,
      paragraph: 12,
      kind: 'decision',
      status: 'decided',
      title: 'Program och plan för trygghet och säkerhet i Lunds kommun',
      reason: 'Kommunkontorets tjänsteskrivelse 2020-01-09 med reviderat förslag efter remiss och återremiss.',
      exampleNote: 'Datum (2020-01-20) och paragraf (§ 12) för arbetsutskottets beredning är exempeldata: tjänsteskrivelsen anger arbetsutskottets förslag men inte sammanträdet.',
      createdBy,
      isExample: true,
    })
    .returning();
  const prepClauses = [];
  for (const [i, k] of clauseRows.entries())
    prepClauses.push((await tx.insert(decisionClauses).values({ decisionId: prep.id, ordinal: i + 1, text: k.text, toBodyOrganisationId: k.to, effect: k.effect, assigneeOrganisationId: k.assigneeOrganisationId, dueDate: k.dueDate, documentId: k.documentId, condition: k.condition }).returning())[0]);
  await adjustedAndPosted(prepMeeting, KSAU_DATE);
  await recordAudit(tx, system, { entityType: 'decision', entityId: prep.id, action: 'seed', after: prep });

  // KS's draft, prepared by KSAU's decision: the proposals to KF stay proposals, KS's own fourth is KS's.
  const [proposal] = await tx
    .insert(decisions)
    .values({
      caseId: ids.caseId,
      bodyOrganisationId: org('ks'),
      kind: 'decision',
      status: 'draft',
      title: 'Program och plan för trygghet och säkerhet i Lunds kommun',
      reason: 'Kommunkontorets tjänsteskrivelse 2020-01-09 med reviderat förslag efter remiss och återremiss.',
      preparedByDecisionId: prep.id,
      createdBy,
      isExample: true,
    })
    .returning();
  for (const [i, k] of clauseRows.entries())
    await tx.insert(decisionClauses).values({
      decisionId: proposal.id,
      ordinal: i + 1,
      text: k.text,
      toBodyOrganisationId: k.to === org('ks') ? null : k.to,
      effect: k.effect,
      assigneeOrganisationId: k.assigneeOrganisationId,
      dueDate: k.dueDate,
      documentId: k.documentId,
      condition: k.condition,
      proposedFromClauseId: prepClauses[i].id,
    });
  // KS's meeting that takes it up (the memo gives no date: example data), with the case on its agenda.
  const KS_DATE = '2020-02-05';
  const ksMeeting = (await meeting('ks', KS_DATE)).rows[0].id;
  await tx.execute(sql`
    update meetings set starts_at = '13.00', location = 'Stadshuset, Stora salen', minutes_kept_at = 'Kommunkontoret, Kyrkogatan 21, Lund',
      example_note = 'Sammanträdet är exempeldata: tjänsteskrivelsen anger inte när kommunstyrelsen behandlar ärendet.'
    where id = ${ksMeeting}`);
  await tx.insert(meetingItems).values({ meetingId: ksMeeting, ordinal: 1, caseId: ids.caseId, decisionId: proposal.id });
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

  return { assignmentDecisionId: assignmentDecision.id, remissDecisionId: remiss.id, referralBackDecisionId: referral.id, preparationDecisionId: prep.id, proposalDecisionId: proposal.id };
}
