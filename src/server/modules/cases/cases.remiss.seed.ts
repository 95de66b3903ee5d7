import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { decisions, remissRecipients, remissReplies, remissRounds } from '../../db/schema/index.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import lund from '../../seed/lund-organisations.json' with { type: 'json' };
import { insertRecord } from './cases.core.ts';

/**
 * The remiss of KS 2018/0316 as the memo tells it: KSAU decided 2019-02-25 § 48 to send the proposal on
 * remiss to the committees, companies, Lunds BRÅ, Räddningstjänsten Syd, the police and the armed
 * forces. The recipients are every body the memo names: the committees and boards (not KS and its own
 * committee), the companies and federations, Lunds BRÅ, the police and the armed forces. Those whose replies
 * the memo lists (remiss_replies in lund-organisations.json) have them recorded with their date and, for
 * bodies that decided it, § — the BSN reply as Barn- och skolnämndens beslut 2019-04-24 § 37 and so on; the
 * others (LKF and Försvarsmakten) did not reply and show as such. The round is closed (the replies were
 * worked into the revised proposal of 2020-01-09).
 *
 * Assumptions the memo does not settle: the reply date asked for (2019-05-31 for every recipient), the
 * day the round was closed (2020-01-09, the date of the officer's report), the text of replies without a
 * § (a short note that the reply is in the case), and Kraftringen's date (the memo's impossible
 * "2019-04-39" is recorded as 2019-04-30, as the JSON notes).
 *
 * Call it after the case (and, if the decisions part seeds it, the KSAU § 48 decision) exists; the
 * decision is looked up by body, date and § and created as a decided remiss decision when absent.
 */
export interface RemissDemoIds {
  caseId: string;
  /** Organisation ids by their key in lund-organisations.json. */
  orgs: Record<string, string>;
  /** The case officer who registered the round, when there is one. */
  officerId?: string | null;
}

const REPLY_BY = '2019-05-31';
const SENT_ON = '2019-02-25';
const CLOSED_ON = '2020-01-09';
/** Bodies that decided the reply when that was not the recipient itself. */
const DECIDING_BODY: Record<string, string> = { miln: 'Miljönämndens presidieutskott', rhs: 'Renhållningsstyrelsens presidium' };
const EXTERNAL = new Set(['polisen', 'rssyd', 'vasyd', 'bra', 'fm']);

export async function seedRemissDemo(tx: Executor, ids: RemissDemoIds) {
  const system: RequestContext = { actor: undefined, requestId: 'seed' };
  const caseRow = (await tx.execute<{ registry_number: string }>(sql`select registry_number from cases where id = ${ids.caseId}`)).rows[0];
  if (!caseRow) throw new Error('seedRemissDemo: the case KS 2018/0316 must exist first');
  const org = (key: string) => {
    const id = ids.orgs[key];
    if (!id) throw new Error(`seedRemissDemo: no organisation ${key}`);
    return id;
  };
  const names = new Map(lund.organisations.map((o) => [o.key, o.name]));
  const data = lund.case_KS_2018_0316;

  // The remiss decision: KSAU 2019-02-25 § 48.
  let decisionId = (
    await tx.execute<{ id: string }>(sql`select id from decisions where body_organisation_id = ${org('ksau')} and decided_on = ${SENT_ON} and paragraph = 48`)
  ).rows[0]?.id;
  if (!decisionId) {
    const [d] = await tx
      .insert(decisions)
      .values({
        caseId: ids.caseId,
        bodyOrganisationId: org('ksau'),
        decidedOn: SENT_ON,
        paragraph: 48,
        kind: 'remiss',
        status: 'decided',
        title: 'Remiss av förslag till program och plan för trygghets- och säkerhetsarbete',
        reason: data.events.find((e) => e.kind === 'remiss')?.text ?? null,
        createdBy: ids.officerId ?? null,
        isExample: true,
      })
      .returning();
    decisionId = d.id;
  }

  const title = 'Förslag till program och plan för trygghets- och säkerhetsarbete i Lunds kommun';
  const letter =
    'Kommunstyrelsens arbetsutskott beslutade den 25 februari 2019, § 48 att sända förslaget till program och plan för trygghets- och ' +
    'säkerhetsarbete i Lunds kommun på remiss till kommunens nämnder, bolag, Lunds brottsförebyggande råd, Räddningstjänsten Syd, polisen och Försvarsmakten.\n\n' +
    `Vi vill ha ert svar senast ${REPLY_BY}. Ange diarienummer ${caseRow.registry_number} i svaret.`;
  const replies = data.remiss_replies as { from: string; date: string; paragraph?: number; note?: string }[];
  // Every body the memo names: "kommunens nämnder, bolag, Lunds brottsförebyggande råd, Räddningstjänsten Syd, polisen och försvarsmakten".
  const named = lund.organisations
    .filter((o) => (o.type === 'committee' && o.parent !== 'ks') || o.type === 'company' || o.type === 'federation' || ['bra', 'polisen', 'fm'].includes(o.key))
    .map((o) => o.key);
  const silent = named.filter((k) => !replies.some((r) => r.from === k));
  const letterRecord = await insertRecord(tx, {
    caseId: ids.caseId,
    direction: 'outgoing',
    recordDate: SENT_ON,
    title: `Remiss: ${title}`,
    counterpart: named.map((k) => names.get(k) ?? k).join('; '),
    createdBy: ids.officerId ?? null,
    isExample: true,
  });
  const [round] = await tx
    .insert(remissRounds)
    .values({
      caseId: ids.caseId,
      decisionId,
      title,
      letter,
      sentOn: SENT_ON,
      status: 'closed',
      closedAt: new Date(`${CLOSED_ON}T12:00:00Z`),
      letterRecordId: letterRecord.id,
      exampleNote:
        `Svarsdatum (${REPLY_BY}) och dagen omgången stängdes (${CLOSED_ON}) är exempeldata: tjänsteskrivelsen anger dem inte. ` +
        'Kraftringens svar har datumet 2019-04-39 i tjänsteskrivelsen, ett datum som inte finns; det är registrerat som 2019-04-30.',
      createdBy: ids.officerId ?? null,
      isExample: true,
    })
    .returning();
  // Those the memo names who did not reply: recipients without a reply in the closed round.
  for (const k of silent)
    await tx.insert(remissRecipients).values({ roundId: round.id, organisationId: org(k), channel: EXTERNAL.has(k) || k === 'lkf' ? 'link' : 'internal', email: `${k}@lund.example`, replyBy: REPLY_BY, status: 'pending' });

  // Replies in the order they came in, so the record numbers follow the dates.
  for (const r of [...replies].sort((a, b) => a.date.localeCompare(b.date) || a.from.localeCompare(b.from))) {
    const name = names.get(r.from) ?? r.from;
    const external = EXTERNAL.has(r.from);
    const [recipient] = await tx
      .insert(remissRecipients)
      .values({
        roundId: round.id,
        organisationId: org(r.from),
        channel: external ? 'link' : 'internal',
        email: `${r.from}@lund.example`,
        replyBy: REPLY_BY,
        status: 'answered',
        version: 2,
      })
      .returning();
    const body = DECIDING_BODY[r.from] ?? name;
    const record = await insertRecord(tx, {
      caseId: ids.caseId,
      direction: 'incoming',
      recordDate: r.date,
      title: r.paragraph ? `Remissvar från ${name}: ${body} ${r.date} § ${r.paragraph}` : `Remissvar från ${name}`,
      counterpart: name,
      counterpartOrganisationId: org(r.from),
      createdBy: ids.officerId ?? null,
      isExample: true,
    });
    await tx.insert(remissReplies).values({
      recipientId: recipient.id,
      receivedOn: r.date,
      kind: r.paragraph ? 'decision' : 'reply',
      decidingBody: r.paragraph ? body : null,
      decidedOn: r.paragraph ? r.date : null,
      paragraph: r.paragraph ?? null,
      text:
        (r.paragraph
          ? `${body} har behandlat remissen och lämnat yttrande genom beslut ${r.date} § ${r.paragraph}.`
          : `${name}${/[A-Z]$/.test(name) ? ':s' : 's'} remissvar ${r.date} över förslaget till program och plan för trygghets- och säkerhetsarbete.`) +
        (r.from === 'kraftringen' ? ' Tjänsteskrivelsen anger svarsdatumet 2019-04-39, ett datum som inte finns; här registrerat som 2019-04-30.' : ''),
      via: 'registered',
      recordId: record.id,
      registeredBy: ids.officerId ?? null,
      isExample: true,
    });
  }
  await recordAudit(tx, system, { entityType: 'remiss_round', entityId: round.id, action: 'seed', after: { ...round, recipients: replies.length + silent.length } });
  return { roundId: round.id, decisionId };
}
