import type { Executor } from '../db/client.ts';
import { enqueueJob } from './jobs.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export const MAIL_JOB = 'mail.send';

/** Queues an e-mail in the caller's transaction; the jobs runner sends it (SMTP) or stores it in the outbox. */
export function queueMail(ex: Executor, msg: MailMessage) {
  return enqueueJob(ex, { type: MAIL_JOB, payload: msg, maxAttempts: 8 });
}
