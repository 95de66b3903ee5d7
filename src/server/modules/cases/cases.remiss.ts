import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { FileStore } from '../../lib/filestore.ts';
import { createLinksPart } from './cases.remiss.links.ts';
import { createRepliesPart } from './cases.remiss.replies.ts';
import { createRoundsPart } from './cases.remiss.rounds.ts';

export type { UploadedFile } from './cases.remiss.shared.ts';

/**
 * Remiss rounds (issue #5 point 4). A case officer sends a case on remiss to organisations in the
 * register, each with its own reply date. Internal recipients (organisations within the municipality)
 * answer in Trygg: the users who may handle cases on that organisation (cases.handle — the officers
 * who prepare the body's decisions and who may see a case's content; the reporter role only reports on
 * plan actions and cannot read the registry). External recipients answer through a personal link: a
 * random token mailed to them, stored only as its SHA-256, valid for that recipient's reply only,
 * until a configurable number of days after the reply date, revocable, and used up by the reply.
 * Every reply becomes an incoming record in the case; its file is stored through the file store.
 *
 * One facade over the parts by sub-domain: rounds and recipients (cases.remiss.rounds.ts), links and the
 * public reply (cases.remiss.links.ts), replies, the inbox and files (cases.remiss.replies.ts); a round as
 * the API shows it is cases.remiss.view.ts, what they share cases.remiss.shared.ts, the SQL the parts' repos.
 */
export function createRemissService({ db, files, config }: { db: Db; files: FileStore; config: Pick<Config, 'PUBLIC_URL' | 'REMISS_LINK_DAYS_AFTER' | 'REMISS_REMINDER_DAYS_BEFORE'> }) {
  const base = config.PUBLIC_URL.replace(/\/$/, '');
  const deps = { db, files, config, base, linkUrl: (token: string) => `${base}/remissvar/${token}` };
  return {
    ...createRoundsPart(deps),
    ...createLinksPart(deps),
    ...createRepliesPart(deps),
  };
}

export type RemissService = ReturnType<typeof createRemissService>;
