import { sql } from 'drizzle-orm';
import type { Database } from '../../../src/server/db/client.ts';
import { organisationsRepo } from '../../../src/server/modules/organisations/organisations.repo.ts';
import { unique } from './unique.ts';

/** The id of a seeded organisation by its key in lund-organisations.json ("son", "tn", …). */
export async function orgId(database: Database, key: string): Promise<string> {
  const res = await database.db.execute<{ id: string }>(sql`select id from organisations where key = ${key}`);
  if (!res.rows[0]) throw new Error(`no organisation with key ${key}`);
  return res.rows[0].id;
}

export async function createOrganisation(database: Database, values: { name?: string; type?: string; parentId?: string | null } = {}) {
  return organisationsRepo.insert(database.db, {
    name: values.name ?? `Testenhet ${unique()}`,
    type: values.type ?? 'unit',
    parentId: values.parentId ?? null,
  });
}
