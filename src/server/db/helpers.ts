import { and, eq, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './client.ts';

/** A uuid[] parameter: drizzle would spread a plain array into a list of parameters. */
export const uuids = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;

/** The first row of a query, or undefined. */
export async function one<T>(rows: Promise<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}

type Versioned = PgTable & { id: AnyPgColumn; version: AnyPgColumn; updatedAt: AnyPgColumn };

/** Optimistic update shared by every editable table: only if the stored version still is `version`; undefined on a stale version. */
export async function updateVersioned<T extends Versioned>(ex: Executor, table: T, id: string, version: number, values: Partial<T['$inferInsert']>) {
  // The generic table defeats drizzle's inference; the row is the table's own select type.
  const rows = (await ex
    .update(table as never as PgTable)
    .set({ ...values, version: sql`${table.version} + 1`, updatedAt: new Date() } as never)
    .where(and(eq(table.id, id), eq(table.version, version)))
    .returning()) as unknown as T['$inferSelect'][];
  return rows[0];
}
