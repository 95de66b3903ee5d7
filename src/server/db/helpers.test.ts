import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { runFixed } from './helpers.ts';

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

  it('is a named prepared statement on PostgreSQL (parsed once per connection), an ordinary one on PGlite', async () => {
    await runFixed(database.db, 'trygg_test_prepared', 'select $1::int as n', [1]);
    if (database.kindLabel !== 'postgres') return expect(database.kindLabel).toBe('pglite');
    // Each pool connection that ran it has it prepared; run it on every connection the pool may hand out.
    const names = new Set<string>();
    for (let i = 0; i < 20 && !names.has('trygg_test_prepared'); i++) {
      await runFixed(database.db, 'trygg_test_prepared', 'select $1::int as n', [i]);
      const r = await database.db.execute<{ name: string }>(sql`select name from pg_prepared_statements`);
      for (const x of r.rows) names.add(x.name);
    }
    expect(names).toContain('trygg_test_prepared');
  });
});
