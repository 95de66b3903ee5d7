import type { z } from 'zod';
import {
  createDocument as createGovDoc,
  documentList as govDocList,
  governingDocument as govDoc,
  governingDocumentDetail as govDocDetail,
  updateDocument as updateGovDoc,
} from '../../../shared/schemas/documents.ts';
import { api, upload } from '../../api/client.ts';

// --- Governing documents (issue #5) ---
export type GovDocT = z.infer<typeof govDoc>;
export type GovDocDetailT = z.infer<typeof govDocDetail>;
export type GovDocInput = z.input<typeof createGovDoc>;
export type GovDocUpdate = z.input<typeof updateGovDoc>;
export const governingDocumentsApi = {
  list: (q: { q?: string; type?: string; status?: string; ownerOrganisationId?: string; review?: string; limit?: number; offset?: number }) =>
    api.get('/api/documents', govDocList, q),
  get: (id: string) => api.get(`/api/documents/${id}`, govDocDetail),
  create: (body: GovDocInput) => api.post('/api/documents', govDocDetail, body),
  update: (id: string, body: GovDocUpdate) => api.patch(`/api/documents/${id}`, govDocDetail, body),
  upload: (id: string, file: File) => upload(`/api/documents/${id}/file`, govDocDetail, file, file.name),
  fileUrl: (id: string) => `/api/documents/${id}/file`,
};
