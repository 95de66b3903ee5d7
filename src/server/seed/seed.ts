import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { recordAudit, type RequestContext } from '../lib/audit.ts';
import type { Role } from '../../shared/roles.ts';
// The demo data of each module, through what the module exports (its index.ts).
import { seedProgramDemo } from '../modules/program/index.ts';
import { seedIncidentDemo } from '../modules/incidents/index.ts';
import { seedDecisionsDemo, seedRegistryDemo, seedRemissDemo } from '../modules/cases/index.ts';
import { seedDocumentsDemo } from '../modules/documents/index.ts';
import { hashPassword, usersRepo } from '../modules/users/index.ts';
import { organisationsRepo } from '../modules/organisations/index.ts';
import lund from './lund-organisations.json' with { type: 'json' };

export const DEMO_PASSWORD = 'Trygg-demo-2026!';

/** Demo accounts: one per kind of user named in the brief, so each view can be tried. */
export const DEMO_USERS: { email: string; name: string; home: string; grants: { org: string; role: Role; subtree: boolean }[] }[] = [
  { email: 'admin@lund.example', name: 'Alva Administratör', home: 'kk-ts', grants: [{ org: 'lund', role: 'admin', subtree: true }] },
  { email: 'samordnare@lund.example', name: 'Sam Samordnare', home: 'kk-ts', grants: [{ org: 'lund', role: 'coordinator', subtree: true }] },
  { email: 'admin.son@lund.example', name: 'Stina Systemförvaltare', home: 'son', grants: [{ org: 'son', role: 'admin', subtree: true }] },
  { email: 'rapportor.son@lund.example', name: 'Rasmus Rapportör', home: 'son', grants: [{ org: 'son', role: 'reporter', subtree: false }] },
  { email: 'rapportor.tn@lund.example', name: 'Tove Rapportör', home: 'tn', grants: [{ org: 'tn', role: 'reporter', subtree: false }] },
  { email: 'registrator@lund.example', name: 'Rebecka Registrator', home: 'kk', grants: [{ org: 'lund', role: 'registrar', subtree: true }] },
  { email: 'handlaggare@lund.example', name: 'Hugo Handläggare', home: 'kk-ts', grants: [{ org: 'kk', role: 'officer', subtree: true }] },
  { email: 'lasare@lund.example', name: 'Lars Läsare', home: 'kk', grants: [{ org: 'lund', role: 'reader', subtree: true }] },
  { email: 'polisen@lund.example', name: 'Petra Polis', home: 'polisen', grants: [{ org: 'polisen', role: 'partner', subtree: false }] },
];

const system: RequestContext = { actor: undefined, requestId: 'seed' };

export async function isEmpty(db: Db) {
  const res = await db.execute<{ n: number }>(sql`select count(*)::int as n from organisations`);
  return res.rows[0].n === 0;
}

/** Seeds the Lund organisations and the demo accounts into an empty database, in one transaction. */
export async function seedDemo(db: Db) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const ids = new Map<string, string>();
    // Parents before children: the JSON lists them in that order, but do not rely on it.
    const pending = [...lund.organisations];
    while (pending.length) {
      const idx = pending.findIndex((o) => o.parent === null || ids.has(o.parent));
      if (idx < 0) throw new Error('lund-organisations.json: a parent is missing');
      const [o] = pending.splice(idx, 1);
      const row = await organisationsRepo.insert(tx, {
        key: o.key,
        type: o.type,
        name: o.name,
        shortName: (o as { short?: string }).short ?? null,
        email: `${o.key}@lund.example`,
        parentId: o.parent ? ids.get(o.parent)! : null,
      });
      ids.set(o.key, row.id);
      await recordAudit(tx, system, { entityType: 'organisation', entityId: row.id, action: 'seed', after: row });
    }
    for (const u of DEMO_USERS) {
      const user = await usersRepo.insert(tx, { email: u.email, name: u.name, homeOrganisationId: ids.get(u.home)!, passwordHash });
      for (const g of u.grants)
        await usersRepo.insertGrant(tx, { userId: user.id, organisationId: ids.get(g.org)!, role: g.role, includeSubtree: g.subtree });
      await recordAudit(tx, system, { entityType: 'user', entityId: user.id, action: 'seed', after: { email: u.email, grants: u.grants } });
    }
    // KS 2018/0316 from the memo: registered with its records, the governing documents it concerns, the
    // KSAU § 48 remiss with every reply, the KS § 333 referral back, and the proposal (draft) whose third
    // att-sats repeals the strategy — deciding it in the UI turns the strategy to upphävd.
    const ks = await seedRegistryDemo(tx, ids);
    const officerId = (await tx.execute<{ id: string }>(sql`select id from users where email = 'handlaggare@lund.example'`)).rows[0]?.id ?? null;
    const documents = await seedDocumentsDemo(tx, ids, { createdBy: officerId });
    await seedDecisionsDemo(tx, { caseId: ks.caseId, orgs: ids, createdBy: officerId, repealDocumentId: documents.strategyId });
    await seedRemissDemo(tx, { caseId: ks.caseId, orgs: Object.fromEntries(ids), officerId });
  });
  await seedProgramDemo(db, 'samordnare@lund.example');
  await seedIncidentDemo(db, { coordinatorEmail: 'samordnare@lund.example', reporterEmail: 'rapportor.son@lund.example' });
}
