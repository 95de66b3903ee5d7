import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';
import { bytea } from './types.ts';


/** A generated file (report, export) that a user asked for: built by a job, downloaded by its requester. */
export const exportFiles = pgTable(
  'export_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    format: text('format').notNull(),
    params: jsonb('params').notNull().default({}),
    status: text('status').notNull().default('pending'), // pending | running | done | failed
    progress: integer('progress').notNull().default(0),
    filename: text('filename'),
    contentType: text('content_type'),
    content: bytea('content'),
    size: integer('size'),
    error: text('error'),
    jobId: bigint('job_id', { mode: 'number' }),
    requestedBy: uuid('requested_by').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('export_files_requested_by_idx').on(t.requestedBy, t.createdAt), index('export_files_created_idx').on(t.createdAt)],
);
