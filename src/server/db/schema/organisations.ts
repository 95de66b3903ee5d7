import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

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
