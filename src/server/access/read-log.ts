import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/client.ts';
import { recordAudit, type RequestContext } from '../lib/audit.ts';
import type { SecretRecordType } from './rules.ts';
import { SECRET_TYPES } from './secrecy.ts';

/** Logs one read of the record if it is secret (secrecy-marked, or a restricted incident); for detail and file endpoints that have just let the actor read it. */
export async function logIfSecret(db: Db, ctx: RequestContext, type: SecretRecordType, id: string, how: SecretReadKind, detail?: Record<string, unknown>) {
  const restricted = type === 'incident' ? sql` or restricted` : sql``;
  const r = await db.execute(sql`select 1 from ${sql.raw(SECRET_TYPES[type].table)} where id = ${id} and (secrecy_ref is not null${restricted})`);
  if (r.rows.length) await logSecretReads(db, ctx, [{ type, id, how, detail }]);
}

/** How secret material was read: opened, downloaded as a file, in an export or generated document, found in a search, or viewed through a share. */
export type SecretReadKind = 'open' | 'download' | 'export' | 'search' | 'shared-view';

export interface SecretRead {
  type: string;
  id: string;
  how: SecretReadKind;
  /** E.g. the search words, the export kind, the share. */
  detail?: Record<string, unknown>;
}

/**
 * The read log: who opened, downloaded, exported or found in a search which secret record. Each read is an
 * entry (action `read-secret`) in the same hash chain as every change, so administrators read it in the audit
 * log and audit:verify covers it.
 */
export async function logSecretReads(db: Db | Executor, ctx: RequestContext, reads: SecretRead[]) {
  if (!reads.length) return;
  const write = async (ex: Executor) => {
    for (const r of reads) await recordAudit(ex, ctx, { entityType: r.type, entityId: r.id, action: 'read-secret', after: { how: r.how, ...(r.detail ?? {}) } });
  };
  // The chain takes an advisory transaction lock: a transaction of its own unless the caller is in one.
  if ('transaction' in db && typeof (db as Db).transaction === 'function') await (db as Db).transaction(write);
  else await write(db as Executor);
}
