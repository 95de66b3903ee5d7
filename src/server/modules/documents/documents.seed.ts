import type { Executor } from '../../db/client.ts';
import { governingDocuments } from '../../db/schema/index.ts';
import { recordAudit } from '../../lib/audit.ts';
import { addDays, todayInStockholm } from '../../lib/time.ts';

const dayOffset = (days: number) => addDays(todayInStockholm(), days);

/**
 * Demo governing documents for Lund, all marked is_example. The strategy against violence in close
 * relationships is a municipality-wide strategy (adopted by KF, owned by KS) in force until KS
 * 2018/0316's att-sats repeals it (its own period ended 2022-12-31, so until then it reads as upphört att gälla);
 * the safety program (the program module's, given as `programDocumentId`) and its plan are the drafts that case proposes.
 * `ids`: organisation ids by key (lund-organisations.json). Returns the documents' ids so the lead can
 * link the repeal att-sats (decision_clauses.document_id) to the strategy.
 */
export async function seedDocumentsDemo(tx: Executor, ids: Map<string, string> | Record<string, string>, opts: { createdBy?: string | null; programDocumentId?: string | null } = {}) {
  const org = (key: string) => {
    const id = ids instanceof Map ? ids.get(key) : ids[key];
    if (!id) throw new Error(`seedDocumentsDemo: no organisation ${key}`);
    return id;
  };
  const insert = async (values: typeof governingDocuments.$inferInsert) => {
    const [row] = await tx.insert(governingDocuments).values({ isExample: true, createdBy: opts.createdBy ?? null, ...values }).returning();
    const { search: _s, ...after } = row;
    await recordAudit(tx, { requestId: 'seed' }, { entityType: 'governing_document', entityId: row.id, action: 'seed', after });
    return row.id;
  };
  const strategyId = await insert({
    type: 'strategy',
    title: 'Strategi för våld i nära relationer 2017-2022',
    description: 'Kommunens strategi mot våld i nära relationer och hedersrelaterat våld och förtryck. Enligt KS 2018/0316 ska den arbetas in i Program för trygghet och säkerhet (fokusområde 2, Förebyggande arbete) och upphöra att gälla.',
    ownerOrganisationId: org('ks'),
    adoptedByOrganisationId: org('kf'),
    validFrom: '2017-01-01',
    validTo: '2022-12-31',
    status: 'in_force',
  });
  // The program is the program module's Lund program when it is seeded (its register entry, a draft); alone, a draft of its own.
  const programId = opts.programDocumentId ?? await insert({
    type: 'program',
    title: 'Program för trygghet och säkerhet i Lunds kommun',
    description: 'Förslag till program för trygghets- och säkerhetsarbetet (KS 2018/0316), med fokusområden som bland annat förebyggande arbete och informationssäkerhet.',
    ownerOrganisationId: org('ks'),
    adoptedByOrganisationId: org('kf'),
    status: 'draft',
  });
  const planId = await insert({
    type: 'plan',
    title: 'Plan för trygghet och säkerhet i Lunds kommun',
    description: 'Tillhörande plan med de åtgärder som ska säkra resultatet inom programmets prioriterade områden.',
    ownerOrganisationId: org('ks'),
    adoptedByOrganisationId: org('kf'),
    status: 'draft',
  });
  // Two invented examples that show the review flags: one overdue, one due within the reminder period.
  const guidelineId = await insert({
    type: 'guideline',
    title: 'Exempel: Riktlinje för informationssäkerhet',
    description: 'Påhittat exempel för att visa en försenad revidering.',
    ownerOrganisationId: org('ks'),
    adoptedByOrganisationId: org('ks'),
    validFrom: dayOffset(-3 * 365),
    nextReviewOn: dayOffset(-20),
    status: 'in_force',
  });
  const routineId = await insert({
    type: 'routine',
    title: 'Exempel: Rutin vid hot och våld mot medarbetare',
    description: 'Påhittat exempel för att visa en revidering som närmar sig.',
    ownerOrganisationId: org('son'),
    adoptedByOrganisationId: org('son'),
    validFrom: dayOffset(-2 * 365),
    nextReviewOn: dayOffset(20),
    status: 'in_force',
  });
  return { strategyId, programId, planId, guidelineId, routineId };
}
