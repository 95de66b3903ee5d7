import pg from 'pg';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { embeddedPools, type Executor } from './client.ts';

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

/**
 * A fixed statement (`$1`, `$2` … for its values) that runs on every request: on PostgreSQL a named prepared
 * statement, so each pool connection parses it once and, after five runs, plans it once (a lookup by key has one
 * good plan). On the embedded PGlite (reached through the same pg pool over its socket server, but whose session
 * does not recover a named statement after an error: `embeddedPools`), and inside a transaction, which has no
 * pool of its own, an ordinary statement with the same values.
 */
export async function runFixed<T>(ex: Executor, name: string, text: string, values: unknown[]): Promise<T[]> {
  const client = (ex as { $client?: unknown }).$client;
  if (client instanceof pg.Pool && !embeddedPools.has(client)) return (await client.query({ name, text, values })).rows as T[];
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1]}`));
  return (await ex.execute(sql.join(chunks))).rows as unknown as T[];
}
