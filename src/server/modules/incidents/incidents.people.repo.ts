import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';

/** The SQL the incident service parts check organisations and users with: typed rows, no rules. */
export const incidentPeopleRepo = {
  async organisationActive(ex: Executor, id: string): Promise<boolean | undefined> {
    const r = await ex.execute<{ active: boolean }>(sql`select active from organisations where id = ${id}`);
    return r.rows[0]?.active;
  },

  async homeOrganisation(ex: Executor, userId: string): Promise<string | undefined> {
    const r = await ex.execute<{ home: string }>(sql`select home_organisation_id as home from users where id = ${userId}`);
    return r.rows[0]?.home;
  },

  /** The user's active flag; undefined when there is no such user. */
  async userActive(ex: Executor, id: string): Promise<{ active: boolean } | undefined> {
    const r = await ex.execute<{ active: boolean }>(sql`select active from users where id = ${id}`);
    return r.rows[0];
  },

  async userName(ex: Executor, id: string): Promise<string | null> {
    return (await ex.execute<{ name: string }>(sql`select name from users where id = ${id}`)).rows[0]?.name ?? null;
  },
};
