import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import { createFileStore } from './filestore.ts';
import type { Executor } from '../db/client.ts';
import { mailOutbox } from '../db/schema/index.ts';
import { enqueueJob, PermanentJobError, defineJob, type JobContext } from './jobs.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Files from the file store (FILES_DIR), by checksum: read and verified when the message is sent. */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  sha256: string;
}

export const MAIL_JOB = 'mail.send';
/** Attempts per message; with the runner's backoff (10 s doubling) the last one is about 20 minutes after the first. */
export const MAIL_MAX_ATTEMPTS = 8;

/** Queues an e-mail in the caller's transaction; the jobs runner sends it (SMTP) or stores it in the outbox. */
export function queueMail(ex: Executor, msg: MailMessage) {
  return enqueueJob(ex, { type: MAIL_JOB, payload: msg, maxAttempts: MAIL_MAX_ATTEMPTS });
}

const mailPayload = z.object({
  to: z.string().min(3).max(320),
  subject: z.string().max(998),
  text: z.string(),
  html: z.string().optional(),
  attachments: z.array(z.object({ filename: z.string().min(1).max(255), contentType: z.string().min(3).max(255), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).max(20).optional(),
});

// One transport per SMTP URL per process (it holds no connection between messages: pool is off).
const transports = new Map<string, Transporter>();
function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport({ url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 });
    transports.set(url, t);
  }
  return t;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/** An SMTP 5xx reply to the envelope or the message is final; connection and auth problems are worth retrying. */
function isPermanentRejection(err: unknown) {
  const { responseCode, code } = (err ?? {}) as { responseCode?: number; code?: string };
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600 && code !== 'EAUTH';
}

/**
 * The 'mail.send' job. With SMTP_URL: sends through nodemailer and records the message in the outbox
 * as 'sent' (a failure throws so the job is retried; the last failure is recorded as 'failed').
 * Without SMTP_URL: stores the message in the outbox as 'stored', for an administrator to read.
 */
export async function sendMailJob({ payload, db, config, log, isLastAttempt }: JobContext) {
  const parsed = mailPayload.safeParse(payload);
  if (!parsed.success) throw new PermanentJobError(`Invalid mail payload: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`);
  const msg = parsed.data;
  const record = async (values: { status: 'stored' | 'sent' | 'failed'; error?: string; sentAt?: Date }) => {
    const [row] = await db
      .insert(mailOutbox)
      .values({ to: msg.to, subject: msg.subject, text: msg.text, html: msg.html ?? null, ...values })
      .returning({ id: mailOutbox.id });
    return row.id;
  };

  if (!config.SMTP_URL) {
    return { status: 'stored', outboxId: await record({ status: 'stored' }) };
  }

  let messageId: string | undefined;
  // Attachments come from the file store; a missing or damaged file is final (retrying cannot bring it back).
  let attachments: { filename: string; contentType: string; content: Buffer }[] | undefined;
  if (msg.attachments?.length) {
    const files = createFileStore(config.FILES_DIR ?? path.join(config.DATA_DIR, 'files'));
    try {
      attachments = await Promise.all(msg.attachments.map(async (a) => ({ filename: a.filename, contentType: a.contentType, content: await files.get(a.sha256) })));
    } catch (err) {
      await record({ status: 'failed', error: messageOf(err) });
      throw new PermanentJobError(`Attachment unreadable: ${messageOf(err)}`);
    }
  }
  try {
    const info = await transportFor(config.SMTP_URL).sendMail({ from: config.MAIL_FROM, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html, attachments });
    messageId = info.messageId;
  } catch (err) {
    const permanent = isPermanentRejection(err);
    if (isLastAttempt || permanent) {
      await record({ status: 'failed', error: messageOf(err) });
      log.error({ err, to: msg.to }, 'mail could not be sent');
    }
    throw permanent ? new PermanentJobError(messageOf(err)) : err;
  }
  return { status: 'sent', messageId, outboxId: await record({ status: 'sent', sentAt: new Date() }) };
}

/** The mail.send job; the admin module declares it (the outbox is its page). */
export const mailJob = defineJob(MAIL_JOB, sendMailJob);
