import { z } from 'zod';
import {
  comment,
  secrecyState,
  share,
  shareList,
  sharedRecord,
  sharedWithUs,
  type createShare,
  type markSecrecy,
  type shareListQuery,
  type SECRET_RECORD_TYPES,
} from '../../../shared/schemas/access.ts';
import type { createMapExtract } from '../../../shared/schemas/lagesbild.ts';
import { api } from '../../api/client.ts';

export type { ShareT, SharedRecordT, SecrecyStateT, CommentT, ShareRecordType } from '../../../shared/schemas/access.ts';
export type SecretType = (typeof SECRET_RECORD_TYPES)[number];
export type ShareInput = z.input<typeof createShare>;
export type MarkInput = z.input<typeof markSecrecy>;
export type ShareQuery = z.input<typeof shareListQuery>;
export type SharedWithUsT = z.infer<typeof sharedWithUs>;
const comments = z.object({ items: z.array(comment) });

/** Secrecy markings on any secret-capable record (the access core decides who may). */
export const secrecyApi = {
  get: (type: SecretType, id: string) => api.get(`/api/secrecy/${type}/${id}`, secrecyState),
  mark: (type: SecretType, id: string, body: MarkInput) => api.put(`/api/secrecy/${type}/${id}`, secrecyState, body),
  unmark: (type: SecretType, id: string, reason: string) => api.post(`/api/secrecy/${type}/${id}/unmark`, secrecyState, { reason }),
};

/** Partner sharing: the owner side (shares.manage) and the partner side (shares.view). */
export const sharesApi = {
  list: (q: ShareQuery) => api.get('/api/shares', shareList, q),
  create: (body: ShareInput) => api.post('/api/shares', share, body),
  revoke: (id: string, reason: string, version: number) => api.post(`/api/shares/${id}/revoke`, share, { reason, version }),
  comments: (id: string) => api.get(`/api/shares/${id}/comments`, comments),
  comment: (id: string, text: string) => api.post(`/api/shares/${id}/comments`, comments, { text }),
  sharedWithUs: () => api.get('/api/shared', sharedWithUs),
  shared: (id: string) => api.get(`/api/shared/${id}`, sharedRecord),
  commentShared: (id: string, text: string) => api.post(`/api/shared/${id}/comments`, comments, { text }),
  /** A map extract to share (lägesbild: the open incidents of the map's view). */
  // The lägesbild schemas are loaded with the map page, not on the start page that lists shares (first-load size).
  createMapExtract: async (body: z.input<typeof createMapExtract>) =>
    api.post('/api/lagesbild/map-extracts', (await import('../../../shared/schemas/lagesbild.ts')).mapExtract, body),
};
