import { z } from 'zod';

export const exportFormat = z.enum(['docx', 'pdf', 'xlsx', 'csv']);
export const requestExport = z.object({
  kind: z.string().min(1).max(100),
  format: exportFormat,
  params: z.record(z.string(), z.unknown()).default({}),
});
export const exportStatus = z.object({
  id: z.uuid(),
  kind: z.string(),
  format: exportFormat,
  status: z.enum(['pending', 'running', 'done', 'failed']),
  progress: z.number().int(),
  filename: z.string().nullable(),
  size: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ExportStatus = z.infer<typeof exportStatus>;
