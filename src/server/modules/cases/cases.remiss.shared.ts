import type { Config } from '../../config.ts';
import type { Db, Executor } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import type { FileStore } from '../../lib/filestore.ts';
import { roleAllows, type Actor, type OrgTree } from '../../lib/policies.ts';
import { ROLES } from '../../../shared/roles.ts';
import { hashToken, newToken } from '../users/index.ts';
import { recordSecretHiddenSql, type Access } from '../../access/index.ts';
import { addDays, todayInStockholm as todayInSweden } from '../../lib/time.ts';
import { mayHandle, visibleCaseOf, type CaseRow } from './cases.core.ts';
import { remissRepo as repo, type RecipientRow, type RecordFileRow, type RoundRow } from './cases.remiss.repo.ts';
import { remissLinksRepo } from './cases.remiss.links.repo.ts';

/**
 * What the parts of the remiss service (rounds, links, replies) share: the deps, the organisation
 * register as remiss sees it, "the round / recipient exists", "the actor manages the round", issuing a
 * link, the letter's file and downloads.
 */
export interface RemissPartDeps {
  db: Db;
  files: FileStore;
  config: Pick<Config, 'PUBLIC_URL' | 'REMISS_LINK_DAYS_AFTER' | 'REMISS_REMINDER_DAYS_BEFORE'>;
  /** PUBLIC_URL without its trailing slash. */
  base: string;
  /** The public reply page of a token. */
  linkUrl: (token: string) => string;
}

export interface UploadedFile {
  filename: string;
  data: Buffer;
  contentType: string;
}

export interface OrgInfo {
  id: string;
  name: string;
  parentId: string | null;
  type: string;
  email: string | null;
  active: boolean;
}

/** The end of a day in Stockholm (23:59:59 CET; an hour later in summer). */
const endOfDay = (date: string) => new Date(`${date}T23:59:59+01:00`);

export async function loadOrgs(ex: Executor): Promise<Map<string, OrgInfo>> {
  const rows = await repo.organisations(ex);
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, parentId: r.parent_id, type: r.type, email: r.email, active: r.active }]));
}

/** Outside the municipality: its topmost ancestor (by the register's own parent links) is not the municipality. */
export function isExternal(orgs: Map<string, OrgInfo>, id: string) {
  let cur = orgs.get(id);
  const seen = new Set<string>();
  while (cur?.parentId && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = orgs.get(cur.parentId);
  }
  return cur?.type !== 'municipality';
}

/** The roles whose holders answer a remiss to their organisation. */
export const HANDLER_ROLES = ROLES.filter((r) => roleAllows(r, 'cases.handle'));

export async function roundRow(ex: Executor, roundId: string, lock = false) {
  if (!(await repo.roundExists(ex, roundId, lock))) throw new AppError('REMISS_ROUND_NOT_FOUND');
  return (await repo.findRound(ex, roundId))!;
}

/** The round, if the actor may manage its case (otherwise 404: nothing about it is revealed). */
export async function managedRound(ex: Executor, actor: Actor, tree: OrgTree, roundId: string, lock = false) {
  const round = await roundRow(ex, roundId, lock);
  let c: CaseRow;
  try {
    c = await visibleCaseOf(ex, actor, tree, round.caseId);
  } catch {
    throw new AppError('REMISS_ROUND_NOT_FOUND');
  }
  if (!mayHandle(actor, tree, c)) throw new AppError('FORBIDDEN');
  return { round, case: c };
}

/** Is the record secrecy-marked and not readable by the actor? (Its text and files are then withheld everywhere.) */
export async function secretHidden(ex: Executor, access: Access, recordId: string) {
  return repo.recordHidden(ex, recordId, recordSecretHiddenSql(access));
}

export async function recipientRow(ex: Executor, id: string, lock = false): Promise<RecipientRow> {
  if (!(await repo.recipientExists(ex, id, lock))) throw new AppError('REMISS_RECIPIENT_NOT_FOUND');
  return (await repo.findRecipient(ex, id))!;
}

/** Issues a new link for a recipient (revoking any earlier one still usable) and returns the token. */
export async function issueLink({ config }: Pick<RemissPartDeps, 'config'>, tx: Executor, recipient: RecipientRow, by: string | null) {
  await remissLinksRepo.revokeUsable(tx, recipient.id);
  const token = newToken();
  const from = recipient.replyBy > todayInSweden() ? recipient.replyBy : todayInSweden();
  const expiresAt = endOfDay(addDays(from, config.REMISS_LINK_DAYS_AFTER));
  await remissLinksRepo.insert(tx, { recipientId: recipient.id, tokenHash: hashToken(token), expiresAt, createdBy: by });
  return { token, expiresAt };
}

export const mailVars = (round: RoundRow, c: CaseRow, org: OrgInfo, replyBy: string, sender: string) => ({
  title: round.title,
  registryNumber: c.registryNumber,
  organisation: org.name,
  replyBy,
  sender,
  letter: round.letter,
});

export async function letterFileOf(ex: Executor, round: RoundRow) {
  if (!round.letterRecordId) return null;
  return (await repo.letterFileOf(ex, round.letterRecordId)) ?? null;
}

export async function download({ files }: Pick<RemissPartDeps, 'files'>, f: RecordFileRow | null) {
  if (!f) throw new AppError('FILE_MISSING');
  return { filename: f.filename, contentType: f.contentType, content: await files.get(f.sha256) };
}
