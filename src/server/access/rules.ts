import { sql, type SQL } from 'drizzle-orm';
import { uuids } from '../db/helpers.ts';
import type { Access } from './access.ts';

/**
 * The record rules: for every record type, who may see it, as one SQL clause over the caller's alias, and
 * who may see its secret content. Every list, search, map layer, statistics table, export, generated
 * document and file download filters with these clauses — no module writes its own.
 *
 * The shape is the same for every type:
 *   visible = organisation scope (roles → actions on the owning organisation)
 *             and (not secret, or the type's secret right on the owning organisation, or a personal tie).
 * Shares with partner organisations do not widen these clauses: a partner reads a shared record only
 * through its share (modules/shares), which checks the share when reading, shows a fixed projection of the
 * record and logs every view.
 * A secret record is one with a secrecy marking (secrecy_ref set); incidents of a restricted category count
 * as secret too.
 */

export type SecretRecordType = 'case' | 'record' | 'incident' | 'document' | 'lagesbild_report' | 'report_attachment';

const raw = (alias: string) => sql.raw(alias);

/** Shares the actor may read (alias `s`): active (not revoked, end date today or later in Stockholm) and with one of their partner organisations. */
export function activeShareSql(a: Access, alias = 's') {
  const s = raw(alias);
  const partners = a.scope('shares.view');
  if (!partners.length) return sql`false`;
  return sql`(${s}.partner_organisation_id = any(${uuids(partners)}) and ${s}.revoked_at is null and ${s}.ends_on >= ${a.today}::date)`;
}

// ---------------------------------------------------------------------------------------------
// Cases and their records (the registry). Readable with cases.read on the responsible organisation or the
// registering body; secret ones with cases.secret there, or as the case officer.
// ---------------------------------------------------------------------------------------------

/**
 * Reading secret content of the case: cases.secret on either organisation, or being its officer. Never NULL
 * (a case without officer compares as false, not unknown): the clause is negated in recordSecretHiddenSql,
 * where an unknown once let a secret remiss reply through to readers (found by test/security/secrecy.test.ts).
 */
function caseSecretSql(a: Access, c: SQL) {
  const secret = a.scope('cases.secret');
  // Held on every organisation (or on none): the organisations need not be compared, every case has one.
  if (a.everywhere('cases.secret')) return sql`true`;
  if (!secret.length) return sql`coalesce(${c}.officer_id = ${a.actorId}, false)`;
  return sql`(coalesce(${c}.officer_id = ${a.actorId}, false) or ${c}.organisation_id = any(${uuids(secret)}) or ${c}.registry_organisation_id = any(${uuids(secret)}))`;
}

export function caseVisibleSql(a: Access, alias = 'c') {
  const c = raw(alias);
  const read = a.scope('cases.read');
  // cases.read on every organisation (a reader of the whole municipality): every open case, without comparing
  // its organisations with a list of them all on every row.
  if (a.everywhere('cases.read')) return sql`(${caseSecretSql(a, c)} or ${c}.secrecy_ref is null)`;
  return sql`(${caseSecretSql(a, c)}
    or (${c}.secrecy_ref is null and (${c}.organisation_id = any(${uuids(read)}) or ${c}.registry_organisation_id = any(${uuids(read)}))))`;
}

/** A record is visible in a visible case unless it is secret and the actor lacks the case's secret right. */
export function recordVisibleSql(a: Access, caseAlias = 'c', recordAlias = 'r') {
  const c = raw(caseAlias);
  const r = raw(recordAlias);
  return sql`(${caseVisibleSql(a, caseAlias)} and (${r}.secrecy_ref is null or ${caseSecretSql(a, c)}))`;
}

/**
 * An assignment (uppdrag) given by a decision: readable with its case, or — when the case is not
 * secrecy-marked — by those who read the assignee organisation's cases (they carry it out).
 */
export function assignmentVisibleSql(a: Access, caseAlias = 'c', assignmentAlias = 'a') {
  const c = raw(caseAlias);
  const x = raw(assignmentAlias);
  // cases.read on every organisation: the second part (an open case, the assignee among the reader's
  // organisations) is already in the case rule (every open case), so the rule is the case rule, without
  // comparing each row's assignee with a list of every organisation.
  if (a.everywhere('cases.read')) return caseVisibleSql(a, caseAlias);
  return sql`(${caseVisibleSql(a, caseAlias)} or (${c}.secrecy_ref is null and ${x}.organisation_id = any(${uuids(a.scope('cases.read'))})))`;
}

/**
 * A secrecy-marked record the actor may not read (true) — for material that reaches people by another path
 * than reading the case (a remiss letter in a recipient's inbox, a reply in the overview or compilation):
 * whatever else lets them see it, its text and files stay hidden when this holds.
 */
export function recordSecretHiddenSql(a: Access, caseAlias = 'c', recordAlias = 'r') {
  const r = raw(recordAlias);
  return sql`(${r}.secrecy_ref is not null and not ${recordVisibleSql(a, caseAlias, recordAlias)})`;
}

/** Records everyone who may read their case may read (not secrecy-marked): what a shared case shows its partner. */
export function recordOpenSql(recordAlias = 'r') {
  return sql`(${raw(recordAlias)}.secrecy_ref is null)`;
}

/** Case-level rights as a predicate for one loaded case (the same rule as the SQL). */
export interface CaseLike {
  organisationId: string;
  registryOrganisationId: string;
  officerId: string | null;
}

/** May read the secret content of this case (and mark it): cases.secret on either organisation, or its officer. */
export function maySeeCaseSecrets(a: Access, c: CaseLike) {
  return c.officerId === a.actorId || a.canAny('cases.secret', [c.organisationId, c.registryOrganisationId]);
}

/**
 * May handle the case (decisions, remiss, dispatch, records): cases.handle on the responsible organisation or
 * the registering body, or being its officer while holding cases.handle somewhere. The one rule for every part
 * of the cases module.
 */
/**
 * Managing a body's meeting (notice and agenda, attendance, adjusters, the notice board): cases.handle on
 * the body itself or on an organisation under it or, for a committee of a deciding body, under that body
 * (its office: Kommunkontoret, under KS, serves KS and KSAU). The
 * adjustment itself is the appointed chair's and adjusters' only (checked by the meeting service).
 */
export function mayManageMeeting(a: Access, bodyOrganisationId: string) {
  if (a.can('cases.handle', bodyOrganisationId)) return true;
  // A committee of a deciding body (KSAU of KS) is served by that body's office too.
  const parent = a.tree.ancestorsOf(bodyOrganisationId)[1];
  const parentType = parent ? a.tree.typeOf(parent) : undefined;
  const served = [bodyOrganisationId, ...(parent && (parentType === 'board' || parentType === 'council' || parentType === 'committee') ? [parent] : [])];
  return a.scope('cases.handle').some((o) => a.tree.ancestorsOf(o).some((x) => served.includes(x)));
}

export function mayHandleCase(a: Access, c: CaseLike) {
  return a.canAny('cases.handle', [c.organisationId, c.registryOrganisationId]) || (c.officerId === a.actorId && a.canSomewhere('cases.handle'));
}

// ---------------------------------------------------------------------------------------------
// Incidents. Readable with incidents.read on the organisation; restricted (a staff-safety category) or
// secret ones only with incidents.manage there, or by the one who reported it.
// ---------------------------------------------------------------------------------------------

export function incidentSecretSql(alias = 'i') {
  const i = raw(alias);
  return sql`(${i}.restricted or ${i}.secrecy_ref is not null)`;
}

export function incidentVisibleSql(a: Access, alias = 'i') {
  const i = raw(alias);
  return sql`(${i}.reported_by = ${a.actorId}
    or ${incidentVisibleByOrgSql(a, sql`${i}.organisation_id`, incidentSecretSql(alias))})`;
}

/**
 * The part of the incident rule that rests on the organisation and the secret flag alone (everything but the
 * reporter's own tie): for figures kept per organisation and secret flag, such as the list's counts
 * (incident_counts), where `org` and `secret` are that table's columns.
 */
/** The organisation part alone shows every incident (incidents.manage everywhere): the reporter tie adds none. */
export function incidentsAllVisibleByOrg(a: Access): boolean {
  return a.everywhere('incidents.manage');
}

export function incidentVisibleByOrgSql(a: Access, org: SQL, secret: SQL) {
  // incidents.manage on every organisation (a coordinator of the whole municipality): nothing to filter.
  if (incidentsAllVisibleByOrg(a)) return sql`true`;
  return sql`(${org} = any(${uuids(a.scope('incidents.manage'))})
    or (not ${secret} and ${org} = any(${uuids(a.scope('incidents.read'))})))`;
}

/** Incidents everyone who may read the organisation's incidents may see: what an open (public) figure counts. */
export function incidentOpenSql(alias = 'i') {
  return sql`(not ${incidentSecretSql(alias)})`;
}

// ---------------------------------------------------------------------------------------------
// Governing documents. Adopted ones (in force, repealed, replaced) are public information for everyone
// with documents.read; drafts only with documents.read on the owner; secret ones only with
// documents.manage on the owner.
// ---------------------------------------------------------------------------------------------

export function documentVisibleSql(a: Access, alias = 'governing_documents') {
  const d = sql.raw(`"${alias}"`);
  // documents.manage on every organisation (the coordinator): every document, secret or draft — each has an
  // owner, and the tree holds every organisation — without comparing its owner with a list of them all on each
  // row (the case rule's shortcut; issue #12: the register compared each row's owner with 24 ids, in the page
  // and again in its total). documents.rule.test.ts checks both shortcuts against the rule written out.
  if (a.everywhere('documents.manage')) return sql`true`;
  const read = a.scope('documents.read');
  const manage = a.scope('documents.manage');
  if (!read.length && !manage.length) return sql`false`;
  // documents.read on every organisation: every document that is not secret, drafts included.
  const open = a.everywhere('documents.read')
    ? sql`${d}.secrecy_ref is null`
    : sql`(${d}.secrecy_ref is null and (${d}.status <> 'draft' or ${d}.owner_organisation_id = any(${uuids(read)})))`;
  return sql`(${open} or ${d}.owner_organisation_id = any(${uuids(manage)}))`;
}

/** For the public list (no actor): adopted and not secret. */
export function documentPublicSql(alias = 'governing_documents') {
  const d = sql.raw(`"${alias}"`);
  return sql`(${d}.status <> 'draft' and ${d}.secrecy_ref is null)`;
}

// ---------------------------------------------------------------------------------------------
// Lägesbild reports (Lag 2023:196): the municipality's. Readable with incidents.read (or manage) on the
// municipality; a secret one only with incidents.manage there.
// ---------------------------------------------------------------------------------------------

export function mayReadLagesbild(a: Access) {
  return a.canAtRoot('incidents.read') || a.canAtRoot('incidents.manage');
}
export function mayWriteLagesbild(a: Access) {
  return a.canAtRoot('incidents.manage');
}
/** May see restricted and secret incidents in the lägesbild's figures (the full version of a report). */
export function maySeeLagesbildSecrets(a: Access) {
  return a.canAtRoot('incidents.manage');
}

export function lagesbildReportVisibleSql(a: Access, alias = 'l') {
  const l = raw(alias);
  if (maySeeLagesbildSecrets(a)) return sql`true`;
  if (mayReadLagesbild(a)) return sql`(${l}.secrecy_ref is null)`;
  return sql`false`;
}

/** Map extracts hold only open incidents (category, time, position): readable by every lägesbild reader. */
export function mapExtractVisibleSql(a: Access) {
  return mayReadLagesbild(a) ? sql`true` : sql`false`;
}

// ---------------------------------------------------------------------------------------------
// Attachments of follow-up reports: readable with the report; a secret one only with followup.manage on
// the report's organisation or the program's owner.
// ---------------------------------------------------------------------------------------------

export function maySeeReportAttachmentSecrets(a: Access, reportOrganisationId: string, programOwnerId: string) {
  return a.canAny('followup.manage', [reportOrganisationId, programOwnerId]);
}

// ---------------------------------------------------------------------------------------------
// Plan actions (program module): a program's owner organisation's readers see all its actions; others see
// the actions their organisations are responsible for or contribute to. This hides an action's detail (its
// title, texts, reports), never its weight: a program's figures are computed over all its actions, the same
// for everyone who may see the program (program.rollups.ts).
// ---------------------------------------------------------------------------------------------

export function actionVisibleSql(a: Access, alias = 'a') {
  const x = raw(alias);
  // program.read on every organisation (a coordinator or reader of the whole municipality): every action has a
  // responsible organisation, so every action is visible; nothing to compare on each row.
  if (a.everywhere('program.read')) return sql`true`;
  const read = a.scope('program.read');
  if (!read.length) return sql`false`;
  // The contributor and programme-owner tests are uncorrelated sets (hashed once per statement: the actions the
  // reader's organisations contribute to, the goals of the programmes they own), not an `exists` per action:
  // the same rule (all three columns are not null), but a list of 200 000 actions no longer makes 400 000 lookups.
  return sql`(${x}.responsible_organisation_id = any(${uuids(read)})
    or ${x}.id in (select pc.action_id from plan_action_contributors pc where pc.organisation_id = any(${uuids(read)}))
    or ${x}.goal_id in (select g.id from goals g join focus_areas f on f.id = g.focus_area_id
    join programs p on p.id = f.program_id where p.owner_organisation_id = any(${uuids(read)})))`;
}
