import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { PgDialect } from 'drizzle-orm/pg-core';
import { columnIndex, executeRows, pageBound, runFixed, uuids } from './helpers.ts';

describe('runFixed: a fixed statement run on every request', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  it('binds its values by number, as the same rows on both databases', async () => {
    const rows = await runFixed<{ sum: number; text: string; again: number }>(database.db, 'trygg_test_fixed', 'select $1::int + $2::int as sum, $3::text as text, $1::int as again', [2, 3, 'o\'brien $2']);
    expect(rows).toEqual([{ sum: 5, text: "o'brien $2", again: 2 }]);
  });

  it('is a named prepared statement on PostgreSQL (parsed once per connection), an ordinary one on the embedded PGlite', async () => {
    if (database.kindLabel !== 'postgres') {
      await runFixed(database.db, 'trygg_test_prepared', 'select $1::int as n', [1]);
      const r = await database.db.execute<{ name: string }>(sql`select name from pg_prepared_statements`);
      return expect(r.rows.map((x) => x.name)).not.toContain('trygg_test_prepared');
    }
    // Each pool connection that ran it has it prepared; run it on every connection the pool may hand out.
    const names = new Set<string>();
    for (let i = 0; i < 20 && !names.has('trygg_test_prepared'); i++) {
      await runFixed(database.db, 'trygg_test_prepared', 'select $1::int as n', [i]);
      const r = await database.db.execute<{ name: string }>(sql`select name from pg_prepared_statements`);
      for (const x of r.rows) names.add(x.name);
    }
    expect(names).toContain('trygg_test_prepared');
  });

  it('runs as an ordinary statement on the transaction\'s own connection, with the same values', async () => {
    const rows = await database.db.transaction(async (tx) => {
      await tx.execute(sql`create temporary table fixed_probe (n int) on commit drop`);
      await tx.execute(sql`insert into fixed_probe values (7)`);
      // The temporary table exists only on this connection: a statement sent through the pool would not see it.
      return runFixed<{ n: number }>(tx, 'trygg_test_tx', 'select n + $1::int as n from fixed_probe', [1]);
    });
    expect(rows).toEqual([{ n: 8 }]);
  });
});

describe('executeRows: a list statement with its rows as arrays', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  const probe = sql`select 1::int as n, 'å"\\'::text as t, date '2026-12-08' as d, timestamptz '2026-12-08 10:00:00+01' as at,
    interval '2 days' as span, true as b, null::text as nothing, ${uuids(['00000000-0000-0000-0000-000000000001'])} as ids, 2::bigint as big`;

  it('gives the values execute gives (dates and timestamps as text, the same numbers), in the columns\' order', async () => {
    const columns = ['n', 't', 'd', 'at', 'span', 'b', 'nothing', 'ids', 'big'] as const;
    const [row] = await executeRows(database.db, probe, columns);
    const [expected] = (await database.db.execute<Record<string, unknown>>(probe)).rows;
    expect(row).toEqual(columns.map((c) => expected[c]));
    const at = columnIndex(columns);
    expect([row[at.n], row[at.d], row[at.b], row[at.nothing]]).toEqual([1, '2026-12-08', true, null]);
  });

  it('refuses a statement whose columns are not the list\'s, rather than shift values between fields', async () => {
    await expect(executeRows(database.db, probe, ['n', 'd', 't', 'at', 'span', 'b', 'nothing', 'ids', 'big'])).rejects.toThrow(/are not the list's/);
    await expect(executeRows(database.db, probe, ['n'])).rejects.toThrow(/are not the list's/);
  });

  it('runs on the transaction\'s own connection', async () => {
    const rows = await database.db.transaction(async (tx) => {
      await tx.execute(sql`create temporary table rows_probe (n int) on commit drop`);
      await tx.execute(sql`insert into rows_probe values (7)`);
      return executeRows(tx, sql`select n from rows_probe`, ['n']);
    });
    expect(rows).toEqual([[7]]);
  });
});

describe('pageBound: a limit or offset written into the statement', () => {
  it('writes a whole number as a literal and refuses anything else', () => {
    const dialect = new PgDialect();
    expect(dialect.sqlToQuery(sql`limit ${pageBound(50)} offset ${pageBound(0)}`)).toEqual({ sql: 'limit 50 offset 0', params: [] });
    for (const bad of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) expect(() => pageBound(bad)).toThrow(/not a whole number/);
  });
});
