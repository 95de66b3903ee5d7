import { z } from 'zod';
import { text, version } from './common.ts';

/** The record types that carry a secrecy marking (the access core's SECRET_TYPES). */
export const SECRET_RECORD_TYPES = ['case', 'record', 'incident', 'document', 'lagesbild_report', 'report_attachment'] as const;
/** The record types a coordinator can share with a partner organisation. */
export const SHARE_RECORD_TYPES = ['incident', 'case', 'record', 'lagesbild_report', 'action', 'map_extract'] as const;
export type ShareRecordType = (typeof SHARE_RECORD_TYPES)[number];

const isoDate = z.iso.date();

export const secrecyParams = z.object({ type: z.enum(SECRET_RECORD_TYPES), id: z.uuid() });
/** Marking: the OSL reference (e.g. "18 kap. 8 § OSL") and why. */
export const markSecrecy = z.object({ secrecyRef: text(200), reason: text(2000) });
/** Unmarking: why the marking no longer applies. */
export const unmarkSecrecy = z.object({ reason: text(2000) });
export const secrecyState = z.object({
  secrecyRef: z.string().nullable(),
  secrecyReason: z.string().nullable(),
  secrecyMarkedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  secrecyMarkedAt: z.string().nullable(),
});
export type SecrecyStateT = z.infer<typeof secrecyState>;

export const createShare = z.object({
  recordType: z.enum(SHARE_RECORD_TYPES),
  recordId: z.uuid(),
  partnerOrganisationId: z.uuid(),
  reason: text(2000),
  /** The last day the partner may see it (inclusive, Swedish time). */
  endsOn: isoDate,
});
export type CreateShare = z.infer<typeof createShare>;
export const revokeShare = z.object({ reason: text(2000), version });
export const shareComment = z.object({ text: text(4000) });

export const shareStatus = z.enum(['active', 'ended', 'revoked']);
export const share = z.object({
  id: z.uuid(),
  recordType: z.enum(SHARE_RECORD_TYPES),
  recordId: z.uuid(),
  /** What the record is called, as its owner sees it (e.g. "KS 2018/0316 Program för trygghet"). */
  recordTitle: z.string(),
  partnerOrganisation: z.object({ id: z.uuid(), name: z.string() }),
  reason: z.string(),
  endsOn: isoDate,
  status: shareStatus,
  createdBy: z.object({ id: z.uuid(), name: z.string() }),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  revokeReason: z.string().nullable(),
  commentCount: z.number(),
  version: z.number(),
});
export type ShareT = z.infer<typeof share>;
export const shareList = z.object({ items: z.array(share) });
export const shareListQuery = z.object({
  recordType: z.enum(SHARE_RECORD_TYPES).optional(),
  recordId: z.uuid().optional(),
  partnerOrganisationId: z.uuid().optional(),
  status: shareStatus.optional(),
});

export const comment = z.object({ id: z.uuid(), author: z.object({ id: z.uuid(), name: z.string(), organisation: z.string().nullable() }), text: z.string(), createdAt: z.string() });
export type CommentT = z.infer<typeof comment>;

/** One field of a shared record as the partner sees it: a label key (i18n `shares.field.<key>`) and its value. */
export const sharedField = z.object({ key: z.string(), value: z.string() });
/** What a partner sees of a shared record: a fixed projection, never the record's own page. */
export const sharedRecord = z.object({
  share: z.object({ id: z.uuid(), recordType: z.enum(SHARE_RECORD_TYPES), reason: z.string(), endsOn: isoDate, sharedBy: z.string(), sharedAt: z.string() }),
  title: z.string(),
  fields: z.array(sharedField),
  /** Free text of the record (an incident's description, a case's description, a report's parts). */
  sections: z.array(z.object({ heading: z.string(), text: z.string() })),
  /** Rows under the record (a case's records, a plan action's sub-actions). */
  items: z.array(z.object({ title: z.string(), detail: z.string() })),
  /** Positions to draw on a map (a map extract's incidents). */
  points: z.array(z.object({ lat: z.number(), lon: z.number(), label: z.string() })).optional(),
  comments: z.array(comment),
});
export type SharedRecordT = z.infer<typeof sharedRecord>;
/** The partner's start: what is shared with them now. */
export const sharedWithUs = z.object({
  items: z.array(z.object({ id: z.uuid(), recordType: z.enum(SHARE_RECORD_TYPES), title: z.string(), partnerOrganisation: z.string(), endsOn: isoDate, sharedBy: z.string(), reason: z.string() })),
});
