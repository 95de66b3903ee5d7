import type { Database } from '../../../src/server/db/client.ts';
import { orgId } from './organisations.ts';
import { unique } from './unique.ts';

/**
 * A registered case (and optionally a decision in it), written straight to the database through the
 * cases module's own numbering: for tests of the parts built on cases (decisions, remiss, dispatch).
 */
export async function createCase(
  database: Database,
  values: { series?: string; registryOrg?: string; org?: string; title?: string; officerId?: string | null; secrecyRef?: string | null; concernsChildren?: boolean | null } = {},
) {
  const { nextCaseSeq, formatRegistryNumber } = await import('../../../src/server/modules/cases/cases.core.ts');
  const { cases } = await import('../../../src/server/db/schema/index.ts');
  const registryOrganisationId = await orgId(database, values.registryOrg ?? 'ks');
  const organisationId = await orgId(database, values.org ?? 'kk-ts');
  const series = values.series ?? 'KS';
  const year = new Date().getUTCFullYear();
  return database.db.transaction(async (tx) => {
    const seq = await nextCaseSeq(tx, series, year);
    const [row] = await tx
      .insert(cases)
      .values({
        series,
        year,
        seq,
        registryNumber: formatRegistryNumber(series, year, seq),
        title: values.title ?? `Testärende ${unique()}`,
        caseType: 'ärende',
        registryOrganisationId,
        organisationId,
        officerId: values.officerId ?? null,
        registeredOn: new Date().toISOString().slice(0, 10),
        concernsChildren: values.concernsChildren === undefined ? true : values.concernsChildren,
        childAssessment: values.concernsChildren === null ? null : 'Ärendet berör barn indirekt.',
        secrecyRef: values.secrecyRef ?? null,
      })
      .returning();
    return row;
  });
}
