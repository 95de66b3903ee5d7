import { z } from 'zod';
import { pageQuery } from './common.ts';

export const auditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditListQuery = z.object({
  entityType: z.string().trim().max(100).optional(),
  entityId: z.string().trim().max(100).optional(),
  actorId: z.uuid().optional(),
  action: z.string().trim().max(100).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  ...pageQuery,
});
export const auditList = z.object({ items: z.array(auditEntry), total: z.number().int() });
export const auditVerify = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBad: z.object({ id: z.number().int(), problem: z.enum(['edited', 'inserted-or-deleted']) }).optional(),
});
