import { z } from 'zod';
import { email, optionalText, text, version } from './common.ts';

/** Remiss rounds, their recipients (remissinstanser) and replies (remissvar). */

const isoDate = z.iso.date();

export const REPLY_KINDS = ['decision', 'no_objection', 'reply'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];
export const RECIPIENT_CHANNELS = ['internal', 'link'] as const;
export const roundActions = ['manage'] as const;
export const recipientActions = ['answer', 'manageLink'] as const;

/** The public reply form's limits. */
export const REMISS_REPLY_MAX_BYTES = 10 * 1024 * 1024;
export const REMISS_LETTER_MAX_BYTES = 25 * 1024 * 1024;

export const createRemissRound = z.object({
  title: text(300),
  letter: text(20_000),
  decisionId: z.uuid().nullable().optional(),
  /** Default: today. */
  sentOn: isoDate.optional(),
  recipients: z
    .array(
      z.object({
        organisationId: z.uuid(),
        replyBy: isoDate,
        /** Where to mail the remiss; default the organisation's own address. Required for a link recipient without one. */
        email: email.nullable().optional(),
        /** Default: link for organisations outside the municipality, internal for those within it. */
        channel: z.enum(RECIPIENT_CHANNELS).optional(),
      }),
    )
    .min(1)
    .max(200),
});
export type CreateRemissRound = z.infer<typeof createRemissRound>;

export const closeRemissRound = z.object({ version });

/** The fields of a reply (multipart form fields; the optional file is the part named "file"). */
export const replyFields = z
  .object({
    kind: z.enum(REPLY_KINDS),
    receivedOn: isoDate.optional(),
    decidingBody: optionalText(300),
    decidedOn: isoDate.nullable().optional(),
    paragraph: z.coerce.number().int().min(1).max(99_999).nullable().optional(),
    text: optionalText(50_000),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'decision') {
      if (!v.decidedOn) ctx.addIssue({ code: 'custom', path: ['decidedOn'], message: 'REQUIRED' });
      if (!v.paragraph) ctx.addIssue({ code: 'custom', path: ['paragraph'], message: 'REQUIRED' });
    }
    if (v.kind === 'reply' && !v.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'REQUIRED' });
  });
export type ReplyFields = z.infer<typeof replyFields>;

export const remissFile = z.object({ id: z.uuid(), filename: z.string(), contentType: z.string(), size: z.number() });

export const remissReply = z.object({
  id: z.uuid(),
  receivedOn: isoDate,
  kind: z.enum(REPLY_KINDS),
  decidingBody: z.string().nullable(),
  decidedOn: isoDate.nullable(),
  paragraph: z.number().nullable(),
  text: z.string().nullable(),
  /** The reply's record is secrecy-marked and the reader may not read it: text and file are withheld. */
  secret: z.boolean().default(false),
  via: z.enum(['internal', 'link', 'registered']),
  recordId: z.uuid(),
  recordNumber: z.string(),
  file: remissFile.nullable(),
});

export const remissLinkState = z.object({
  state: z.enum(['active', 'expired', 'revoked', 'used', 'none']),
  expiresAt: z.string().nullable(),
  issuedAt: z.string().nullable(),
});

export const remissRecipient = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  organisationName: z.string(),
  external: z.boolean(),
  channel: z.enum(RECIPIENT_CHANNELS),
  email: z.string().nullable(),
  replyBy: isoDate,
  status: z.enum(['pending', 'answered']),
  overdue: z.boolean(),
  /** The round is closed and this recipient never replied (svarade inte). */
  noReply: z.boolean(),
  version: z.number(),
  link: remissLinkState.nullable(),
  reply: remissReply.nullable(),
  allowedActions: z.array(z.enum(recipientActions)),
});
export type RemissRecipient = z.infer<typeof remissRecipient>;

export const remissRound = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  decisionId: z.uuid().nullable(),
  decisionRef: z.string().nullable(),
  title: z.string(),
  letter: z.string(),
  /** The letter's record is secrecy-marked and the reader may not read it: its text and file are withheld. */
  letterSecret: z.boolean().default(false),
  letterFile: remissFile.nullable(),
  letterRecordNumber: z.string().nullable(),
  sentOn: isoDate,
  /** What the source does not give and the demo made up about this round (example data), said plainly. */
  exampleNote: z.string().nullable().default(null),
  status: z.enum(['open', 'closed']),
  closedAt: z.string().nullable(),
  version: z.number(),
  counts: z.object({ total: z.number(), answered: z.number(), outstanding: z.number(), overdue: z.number() }),
  recipients: z.array(remissRecipient),
  allowedActions: z.array(z.enum(roundActions)),
});
export type RemissRound = z.infer<typeof remissRound>;

/** A link issued now: the only time the address is shown (the token is stored as a hash). */
export const issuedLink = z.object({ recipientId: z.uuid(), organisationName: z.string(), url: z.string(), expiresAt: z.string() });
export type IssuedLink = z.infer<typeof issuedLink>;

export const remissRoundList = z.object({
  case: z.object({ id: z.uuid(), registryNumber: z.string(), title: z.string(), status: z.string() }),
  canManage: z.boolean(),
  /** Decisions of kind remiss in the case, to start a round from. */
  decisions: z.array(z.object({ id: z.uuid(), ref: z.string(), title: z.string() })),
  items: z.array(remissRound),
});
export type RemissRoundList = z.infer<typeof remissRoundList>;

export const createdRemissRound = remissRound.extend({ issuedLinks: z.array(issuedLink) });

/** What an internal recipient sees of a remiss to its organisation (Remisser till oss). */
export const remissInboxItem = z.object({
  recipientId: z.uuid(),
  roundId: z.uuid(),
  registryNumber: z.string(),
  title: z.string(),
  letter: z.string(),
  letterSecret: z.boolean().default(false),
  letterFile: remissFile.nullable(),
  sentOn: isoDate,
  roundStatus: z.enum(['open', 'closed']),
  organisationName: z.string(),
  replyBy: isoDate,
  status: z.enum(['pending', 'answered']),
  overdue: z.boolean(),
  reply: remissReply.nullable(),
});
export const remissInbox = z.object({ items: z.array(remissInboxItem) });
export type RemissInboxItem = z.infer<typeof remissInboxItem>;

/** The public reply page: the round's letter and the recipient's own name, nothing else. */
export const publicRemiss = z.object({
  title: z.string(),
  letter: z.string(),
  letterFile: z.object({ filename: z.string(), size: z.number() }).nullable(),
  recipientName: z.string(),
  replyBy: isoDate,
  expiresAt: z.string(),
});
export type PublicRemiss = z.infer<typeof publicRemiss>;

export const publicRemissReceipt = z.object({ receivedOn: isoDate, recipientName: z.string() });
export const tokenParams = z.object({ token: z.string().min(20).max(100).regex(/^[A-Za-z0-9_-]+$/) });
