import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { recordAudit, type RequestContext } from '../../lib/audit.ts';
import lund from '../../seed/lund-organisations.json' with { type: 'json' };
import { formatRegistryNumber, insertRecord, parseRegistryNumber, raiseCaseSeq, type RecordDirection } from './cases.core.ts';
import { casesRepo } from './cases.repo.ts';

const system: RequestContext = { actor: undefined, requestId: 'seed' };

const BODY_NAMES: Record<string, string> = { ks: 'Kommunstyrelsen', ksau: 'Kommunstyrelsens arbetsutskott', kf: 'Kommunfullmäktige', kk: 'Kommunkontoret' };

/**
 * The registry part of KS 2018/0316 as it stands in lund-organisations.json: the case (registered by KS on
 * 2018-05-22, handled by the safety unit, with the memo's child assessment) and one record per event —
 * the bodies' protocol extracts and the office's report, drawn up by the municipality itself. All marked
 * is_example. Decisions, remiss replies and dispatch are seeded by their own parts.
 *
 * @param ids organisation key → id ("ks", "kk-ts", …)
 * @returns the case's id and the ids of its records by event kind
 */
export async function seedRegistryDemo(tx: Executor, ids: Map<string, string> | Record<string, string>) {
  const idOf = (key: string) => {
    const id = ids instanceof Map ? ids.get(key) : ids[key];
    if (!id) throw new Error(`seedRegistryDemo: no organisation ${key}`);
    return id;
  };
  const data = lund.case_KS_2018_0316;
  const number = parseRegistryNumber(data.diarienummer)!;
  const userId = async (email: string) => (await tx.execute<{ id: string }>(sql`select id from users where email = ${email}`)).rows[0]?.id ?? null;
  const registrar = await userId('registrator@lund.example');
  const officer = await userId('handlaggare@lund.example');
  const firstEvent = data.events[0];

  await raiseCaseSeq(tx, number.series, number.year, number.seq);
  const row = await casesRepo.insertCase(tx, {
    series: number.series,
    year: number.year,
    seq: number.seq,
    registryNumber: formatRegistryNumber(number.series, number.year, number.seq),
    title: data.title,
    description:
      'Kommunstyrelsen gav 2018-05-22 kommunkontoret i uppdrag att ta fram förslag till program för trygghets- och säkerhetsarbetet. ' +
      'Förslaget sändes på remiss 2019-02-25, återremitterades 2019-12-04 och kommunkontoret lämnade ett reviderat förslag 2020-01-09.',
    caseType: 'Styrdokument',
    registryOrganisationId: idOf('ks'),
    organisationId: idOf('kk-ts'),
    officerId: officer,
    status: 'open',
    registeredOn: firstEvent.date,
    concernsChildren: true,
    childAssessment: data.child_impact,
    createdBy: registrar,
    isExample: true,
  });
  await recordAudit(tx, system, { entityType: 'case', entityId: row.id, action: 'seed', after: row });

  const records: Record<string, string> = {};
  for (const e of data.events as { date: string; body: string; paragraph?: number; kind: string; text: string }[]) {
    const body = BODY_NAMES[e.body] ?? e.body.toUpperCase();
    const isReport = e.kind === 'tjänsteskrivelse';
    const title = isReport
      ? e.text
      : `Protokollsutdrag ${body} ${e.date}${e.paragraph ? ` § ${e.paragraph}` : ''}: ${e.text}`;
    const direction: RecordDirection = 'drawn_up';
    const r = await insertRecord(tx, {
      caseId: row.id,
      direction,
      recordDate: e.date,
      title,
      counterpartOrganisationId: idOf(e.body),
      createdBy: registrar,
      isExample: true,
    });
    await recordAudit(tx, system, { entityType: 'case_record', entityId: r.id, action: 'seed', after: r });
    records[e.kind] = r.id;
  }
  return { caseId: row.id, records };
}
