import { sql } from 'drizzle-orm';
import { NO_CHANGE_FEED } from '../db/changes.ts';
import path from 'node:path';
import { buildModules } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Database, Db } from '../db/client.ts';
import { recordAudit, type RequestContext } from '../lib/audit.ts';
import { createFileStore } from '../lib/filestore.ts';
import { seedOrder, type ModuleDefinition, type SeedContext } from '../lib/module.ts';
import type { Role } from '../../shared/roles.ts';
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

/**
 * The modules as the app builds them (app.ts's one list), here only for their `seed` fields: nothing is
 * registered or served, and the seeds use the database they are given, not these deps.
 */
function modulesForSeeding(db: Db): readonly ModuleDefinition[] {
  const config = loadConfig({ SEED_DEMO: 'false', LOG_LEVEL: 'silent' });
  const files = createFileStore(config.FILES_DIR ?? path.join(config.DATA_DIR, 'files'));
  return buildModules({ config, database: { db, changes: NO_CHANGE_FEED } as Database, db, files, exportKinds: new Map() }).modules;
}

/**
 * Seeds the Lund organisations and the demo accounts into an empty database (in one transaction), then
 * each module's demo data: the modules' `seed` fields in the module list order (lib/module.ts, seedOrder).
 * `history`: also the years of example incidents behind the lägesbild (the start does; tests ask for it, so
 * that the many tests on the small demo stay small and quick).
 */
export async function seedDemo(db: Db, modules: readonly ModuleDefinition[] = modulesForSeeding(db), opts: { history?: boolean } = {}) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  const userIds = new Map<string, string>();
  await db.transaction(async (tx) => {
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
      userIds.set(u.email, user.id);
      for (const g of u.grants)
        await usersRepo.insertGrant(tx, { userId: user.id, organisationId: ids.get(g.org)!, role: g.role, includeSubtree: g.subtree });
      await recordAudit(tx, system, { entityType: 'user', entityId: user.id, action: 'seed', after: { email: u.email, grants: u.grants } });
    }
  });
  const user = (email: string) => ({ id: userIds.get(email)!, email });
  const ctx: SeedContext = {
    db,
    orgs: ids,
    users: { coordinator: user('samordnare@lund.example'), reporter: user('rapportor.son@lund.example'), officer: user('handlaggare@lund.example') },
    handed: new Map(),
    history: opts.history ?? false,
  };
  for (const { seed } of seedOrder(modules)) await seed.run(ctx);
}
