import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { organisations } from '../../db/schema/index.ts';

export type OrganisationRow = typeof organisations.$inferSelect;
export type NewOrganisationRow = typeof organisations.$inferInsert;

export const organisationsRepo = {
  list(ex: Executor, opts: { includeInactive: boolean }) {
    return ex
      .select()
      .from(organisations)
      .where(opts.includeInactive ? undefined : eq(organisations.active, true))
      .orderBy(asc(organisations.name));
  },
  async findById(ex: Executor, id: string): Promise<OrganisationRow | undefined> {
    const [row] = await ex.select().from(organisations).where(eq(organisations.id, id));
    return row;
  },
  async insert(ex: Executor, values: NewOrganisationRow): Promise<OrganisationRow> {
    const [row] = await ex.insert(organisations).values(values).returning();
    return row;
  },
  /** Optimistic update: only if the stored version still is `version`; returns undefined on a stale version. */
  async update(ex: Executor, id: string, version: number, values: Partial<NewOrganisationRow>) {
    const [row] = await ex
      .update(organisations)
      .set({ ...values, version: sql`${organisations.version} + 1`, updatedAt: new Date() })
      .where(and(eq(organisations.id, id), eq(organisations.version, version)))
      .returning();
    return row as OrganisationRow | undefined;
  },
  /** Another organisation (active or not) with this short name, in any case; short names key registry series. */
  async shortNameTaken(ex: Executor, shortName: string, exceptId?: string): Promise<boolean> {
    const [row] = await ex
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(sql`lower(${organisations.shortName}) = lower(${shortName})`, exceptId ? sql`${organisations.id} <> ${exceptId}` : undefined))
      .limit(1);
    return !!row;
  },
  async countActiveChildren(ex: Executor, id: string): Promise<number> {
    const [row] = await ex
      .select({ n: sql<number>`count(*)::int` })
      .from(organisations)
      .where(and(eq(organisations.parentId, id), eq(organisations.active, true)));
    return row.n;
  },
};
