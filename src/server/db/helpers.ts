import pg from 'pg';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { embeddedPools, type Executor } from './client.ts';

/** A uuid[] parameter: drizzle would spread a plain array into a list of parameters. */
export const uuids = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;

/**
 * A page bound (limit, offset) written into the statement rather than sent as a parameter — only a whole number,
 * else it throws. A list's first page for a reader of every organisation then may have no parameter at all, which
 * node-postgres sends as a simple query: on PGlite about 0.3 ms cheaper than the extended protocol's parse, bind
 * and execute (the bare pages of bench/lists.bench.ts have no parameters either). Used by the assignments list and
 * the register of governing documents.
 */
export function pageBound(n: number): SQL {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`page bound ${n} is not a whole number`);
  return sql.raw(String(n));
}

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

/** What drizzle's `execute` leaves as text (dates, timestamps, intervals and their arrays): the same here. */
const TEXT_TYPES = new Set([pg.types.builtins.DATE, pg.types.builtins.TIMESTAMP, pg.types.builtins.TIMESTAMPTZ, pg.types.builtins.INTERVAL, 1182, 1115, 1185, 1187, 1231]);
const asText = (v: string) => v;
/** One parser table for every statement (drizzle makes one per statement, with fresh closures). */
const listTypes = { getTypeParser: (id: number, format?: string) => (TEXT_TYPES.has(id) ? asText : pg.types.getTypeParser(id, format as never)) };

/**
 * A list's statement with its rows as arrays, in the order of `columns` (issue #12 item 2: a list is asked for
 * on most requests). pg then fills an array per row rather than an object keyed by column name — a store by
 * name that, across the app's hundreds of row shapes, V8 can only do the slow, generic way — and drizzle's
 * per-statement machinery (a prepared-query object, a type-parser table of fresh closures) is skipped; the
 * values are the same as `execute`'s. The statement must name exactly `columns`, in that order (checked on
 * each run: a statement changed without its list fails at once rather than shifting values between fields).
 * The caller reads each row by the positions of `columnIndex(columns)`.
 */
export async function executeRows(ex: Executor, query: SQL, columns: readonly string[]): Promise<unknown[][]> {
  const { dialect, session } = ex as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } }; session: { client: pg.Pool | pg.PoolClient } };
  const { sql: text, params } = dialect.sqlToQuery(query);
  const res = await session.client.query<unknown[]>({ text, values: params, rowMode: 'array', types: listTypes });
  const { fields } = res;
  if (fields.length !== columns.length || fields.some((f, i) => f.name !== columns[i])) {
    throw new Error(`the statement's columns (${fields.map((f) => f.name).join(', ')}) are not the list's (${columns.join(', ')})`);
  }
  return res.rows;
}

/** The position of each of a list's columns (for reading `executeRows`'s arrays by name). */
export function columnIndex<const K extends string>(columns: readonly K[]): { readonly [k in K]: number } {
  return Object.fromEntries(columns.map((c, i) => [c, i])) as { [k in K]: number };
}
