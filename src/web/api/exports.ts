import { exportStatus, type ExportStatus } from '../../shared/schemas/exports.ts';
import { api } from './client.ts';

export type { ExportStatus };

export const exportsApi = {
  request: (body: { kind: string; format: 'docx' | 'pdf' | 'xlsx' | 'csv'; params: Record<string, unknown> }) => api.post('/api/exports', exportStatus, body),
  status: (id: string) => api.get(`/api/exports/${id}`, exportStatus),
  fileUrl: (id: string) => `/api/exports/${id}/file`,
};

