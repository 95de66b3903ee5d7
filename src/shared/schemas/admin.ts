import { z } from 'zod';
import { pageQuery } from './common.ts';

export const outboxMail = z.object({
  id: z.number().int(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  status: z.enum(['stored', 'sent', 'failed']),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export const outboxList = z.object({ items: z.array(outboxMail), total: z.number().int(), smtpConfigured: z.boolean() });
export const outboxQuery = z.object({ ...pageQuery });

export const job = z.object({
  id: z.number().int(),
  type: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed']),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  runAt: z.string(),
  progress: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export const jobList = z.object({ items: z.array(job), total: z.number().int() });
export const jobQuery = z.object({ status: z.enum(['pending', 'running', 'done', 'failed']).optional(), ...pageQuery });
