import { createHash } from 'node:crypto';
import { asc, sql } from 'drizzle-orm';
import { auditLog } from '../db/schema/index.ts';
import type { Executor } from '../db/client.ts';

/** Who did it, within which request: every service method takes one. */
export interface RequestContext {
  actor?: { id: string; name: string };
  requestId?: string;
  ip?: string;
}

export interface AuditInput {
  entityType: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);
const CHAIN_LOCK = 727002;

/** Deterministic JSON: object keys sorted, so the hash does not depend on jsonb's key order. */
export function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface ChainedFields {
  at: string;
  actorId: string | null;
  actorName: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
}

export function entryHash(prevHash: string, e: ChainedFields): string {
  const body = canonical({
    at: new Date(e.at).toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    entityType: e.entityType,
    entityId: e.entityId,
    action: e.action,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: e.requestId,
    ip: e.ip,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** JSON round-trip so that what is hashed is exactly what jsonb gives back (dates as strings, no undefined). */
function plain(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Appends an entry in the caller's transaction. A transaction-scoped advisory lock serialises
 * writers so that each entry chains to the one before it.
 */
export async function recordAudit(tx: Executor, ctx: RequestContext, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  const last = await tx.execute<{ hash: string }>(sql`select hash from audit_log order by id desc limit 1`);
  const prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
  const fields: ChainedFields = {
    at: new Date().toISOString(),
    actorId: ctx.actor?.id ?? null,
    actorName: ctx.actor?.name ?? null,
    entityType: input.entityType,
    entityId: input.entityId,
    action: input.action,
    before: plain(input.before),
    after: plain(input.after),
    requestId: ctx.requestId ?? null,
    ip: ctx.ip ?? null,
  };
  await tx.insert(auditLog).values({ ...fields, prevHash, hash: entryHash(prevHash, fields) });
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first entry that does not fit the chain, and why. */
  firstBad?: { id: number; problem: 'edited' | 'inserted-or-deleted' };
}

/** Walks the chain in order; streams in pages so a long log does not fill memory. */
export async function verifyAuditChain(db: Executor, pageSize = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.id} > ${lastId}`)
      .orderBy(asc(auditLog.id))
      .limit(pageSize);
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      if (r.prevHash !== prev) return { ok: false, checked, firstBad: { id: r.id, problem: 'inserted-or-deleted' } };
      if (entryHash(r.prevHash, r as ChainedFields) !== r.hash)
        return { ok: false, checked, firstBad: { id: r.id, problem: 'edited' } };
      prev = r.hash;
      lastId = r.id;
      checked++;
    }
  }
}
