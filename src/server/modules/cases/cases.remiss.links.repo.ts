import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { remissLinks } from '../../db/schema/index.ts';

/** The SQL of remiss links (an external recipient's personal token, stored only as its hash): typed rows, no rules. */

export interface LinkByTokenRow extends Record<string, unknown> {
  id: string; recipient_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null;
}

export const remissLinksRepo = {
  /** Revokes the recipient's links still usable. */
  async revokeUsable(ex: Executor, recipientId: string) {
    await ex
      .update(remissLinks)
      .set({ revokedAt: new Date() })
      .where(and(eq(remissLinks.recipientId, recipientId), isNull(remissLinks.usedAt), isNull(remissLinks.revokedAt)));
  },

  async insert(ex: Executor, values: typeof remissLinks.$inferInsert) {
    await ex.insert(remissLinks).values(values);
  },

  async byTokenHash(ex: Executor, tokenHash: string, lock: boolean): Promise<LinkByTokenRow | undefined> {
    const rows = await ex.execute<LinkByTokenRow>(sql`
      select id, recipient_id, expires_at, used_at, revoked_at from remiss_links where token_hash = ${tokenHash} ${lock ? sql`for update` : sql``}`);
    return rows.rows[0];
  },

  async markUsed(ex: Executor, id: string) {
    await ex.update(remissLinks).set({ usedAt: new Date() }).where(eq(remissLinks.id, id));
  },
};
