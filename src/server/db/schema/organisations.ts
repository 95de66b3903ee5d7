import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable key from seed data (e.g. "son"), optional for organisations created in the UI. */
    key: text('key').unique(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    shortName: text('short_name'),
    email: text('email'),
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('organisations_parent_idx').on(t.parentId),
    check('organisations_not_own_parent', sql`${t.parentId} <> ${t.id}`),
    // Short names key registry series (KS 2026/0001): two organisations may not share one, whatever the case.
    uniqueIndex('organisations_short_name_lower_idx').on(sql`lower(${t.shortName})`),
  ],
);

/**
 * One row: a number that a trigger on `organisations` raises on every insert, update, delete and truncate
 * (hand-written SQL at the end of migration 0012_org_tree_version). Each process keeps the organisation tree
 * in memory with the version it was read at, and reads the version with the session on every request
 * (users.repo findSessionWithActor), so a change made through any instance reaches every other one on its
 * next request without a round trip of its own (lib/context.ts).
 */
export const orgTreeVersion = pgTable(
  'org_tree_version',
  {
    one: boolean('one').primaryKey().default(true),
    version: bigint('version', { mode: 'number' }).notNull().default(1),
  },
  (t) => [check('org_tree_version_one_row', sql`${t.one}`)],
);
