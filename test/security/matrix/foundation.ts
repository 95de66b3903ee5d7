/** Role × route matrix: The foundation: operations and API documentation, sign-in and invitations, the own session, users, organisations, the audit log, administration (outbox, jobs) and the generated-file downloads every module shares. See test/security/matrix.ts. */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { hashToken } from '../../../src/server/modules/users/users.service.ts';
import { usersRepo } from '../../../src/server/modules/users/users.repo.ts';
import { DEMO_PASSWORD } from '../../../src/server/seed/seed.ts';
import { exportFiles } from '../../../src/server/db/schema/index.ts';
import { createUser, signIn } from '../../helpers/factories.ts';
import { all, cookies, ctx, email, EMAILS, grantOn, ids, officerEmail, only, signedIn, unitUnder, userIn, type MatrixTable, type Principal } from '../matrix.ts';

/** An export file of the principal's own (or, for `owner: 'admin'`, someone else's), finished. */
export async function exportOf(p: Principal, owner?: Principal) {
  const who = owner ?? (p === 'anonymous' ? 'admin' : p);
  const mail = who === 'officer' ? officerEmail : EMAILS[who as Exclude<Principal, 'anonymous'>];
  const { rows } = await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = ${mail}`);
  const [row] = await ctx.database.db
    .insert(exportFiles)
    .values({ kind: 'program.plan', format: 'csv', requestedBy: rows[0].id, status: 'done', progress: 100, filename: 'plan.csv', contentType: 'text/csv; charset=utf-8', content: Buffer.from('Id;Åtgärd\r\n'), size: 12 })
    .returning();
  return row.id;
}

export const foundationMatrix: MatrixTable = {
  // --- Public: operations, documentation, sign-in and invitations ---
  'GET /healthz': [{ name: 'liveness', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/healthz' }) }],
  'GET /readyz': [{ name: 'readiness', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/readyz' }) }],
  'GET /api/openapi.json': [{ name: 'OpenAPI document', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/openapi.json' }) }],
  'GET /api/docs': [{ name: 'docs UI', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs' }) }],
  'GET /api/docs/static/index.html': [
    // The plugin redirects its own index to /api/docs/; following it must succeed for everyone.
    { name: 'docs index', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/' }) },
  ],
  'GET /api/docs/static/swagger-initializer.js': [
    { name: 'docs initializer', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' }) },
  ],
  'GET /api/docs/json': [{ name: 'docs JSON', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/json' }) }],
  'GET /api/docs/yaml': [{ name: 'docs YAML', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/yaml' }) }],
  'GET /api/docs/static/*': [
    { name: 'docs asset', expect: all('allow'), prepare: () => ({ method: 'GET', url: '/api/docs/static/swagger-ui.css' }) },
  ],
  'POST /api/auth/sign-in': [
    {
      name: 'valid credentials of a fresh account',
      expect: all('allow'),
      prepare: async () => {
        const u = await createUser(ctx.database, { homeOrganisationId: ids.son, email: email() });
        return { method: 'POST', url: '/api/auth/sign-in', payload: { email: u.email, password: DEMO_PASSWORD } };
      },
    },
  ],
  'POST /api/auth/set-password': [
    {
      name: 'valid invitation token',
      expect: all('allow'),
      prepare: async () => {
        const u = await createUser(ctx.database, { homeOrganisationId: ids.son });
        const token = randomBytes(24).toString('base64url');
        await usersRepo.insertToken(ctx.database.db, {
          userId: u.id,
          purpose: 'set-password',
          tokenHash: hashToken(token),
          expiresAt: new Date(Date.now() + 3_600_000),
        });
        return { method: 'POST', url: '/api/auth/set-password', payload: { token, newPassword: 'Ett-nytt-lösenord-2026' } };
      },
    },
  ],
  // --- The signed-in user's own session and settings ---
  'GET /api/auth/me': [{ name: 'own profile', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/auth/me' }) }],
  'PUT /api/auth/locale': [{ name: 'own language', expect: signedIn, prepare: () => ({ method: 'PUT', url: '/api/auth/locale', payload: { locale: 'sv' } }) }],
  'POST /api/auth/sign-out': [
    {
      name: 'own session (a separate one, so the shared session survives)',
      expect: signedIn,
      prepare: async (p) => ({
        method: 'POST',
        url: '/api/auth/sign-out',
        cookie: p === 'anonymous' ? null : await signIn(ctx.app, p === 'officer' ? officerEmail : EMAILS[p]),
      }),
    },
  ],
  'POST /api/auth/password': [
    {
      // Changing the password ends the principal's other sessions: the shared cookie is dropped afterwards.
      name: 'own password (to the same value)',
      expect: signedIn,
      prepare: async (p) => {
        cookies.delete(p);
        return {
          method: 'POST',
          url: '/api/auth/password',
          payload: { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD },
          cookie: p === 'anonymous' ? null : await signIn(ctx.app, p === 'officer' ? officerEmail : EMAILS[p]),
        };
      },
    },
  ],
  // --- Users ---
  'GET /api/users': [{ name: 'list (filtered by scope)', expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: '/api/users' }) }],
  'GET /api/users/:id': [
    { name: 'user of Socialnämnden', expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/users/${await userIn('son')}` }) },
    { name: 'user of Tekniska nämnden', expect: only('admin', 'coordinator'), prepare: async () => ({ method: 'GET', url: `/api/users/${await userIn('tn')}` }) },
    { name: 'user of the safety unit (kk-ts)', expect: only('admin', 'coordinator'), prepare: async () => ({ method: 'GET', url: `/api/users/${await userIn('kk-ts')}` }) },
    { name: 'user of the police (external)', expect: only('admin', 'coordinator'), prepare: async () => ({ method: 'GET', url: `/api/users/${await userIn('polisen')}` }) },
  ],
  'POST /api/users': [
    {
      name: 'create in Socialnämnden',
      expect: only('admin', 'committeeAdmin'),
      prepare: () => ({ method: 'POST', url: '/api/users', payload: { email: email(), name: 'Ny Person', homeOrganisationId: ids.son, password: 'Ett-startlösenord-1' } }),
    },
    {
      name: 'create in Tekniska nämnden',
      expect: only('admin'),
      prepare: () => ({ method: 'POST', url: '/api/users', payload: { email: email(), name: 'Ny Person', homeOrganisationId: ids.tn, password: 'Ett-startlösenord-1' } }),
    },
  ],
  'PATCH /api/users/:id': [
    { name: 'rename a user of Socialnämnden', expect: only('admin', 'committeeAdmin'), prepare: async () => ({ method: 'PATCH', url: `/api/users/${await userIn('son')}`, payload: { version: 1, name: 'Nytt Namn' } }) },
    { name: 'rename a user of Tekniska nämnden', expect: only('admin'), prepare: async () => ({ method: 'PATCH', url: `/api/users/${await userIn('tn')}`, payload: { version: 1, name: 'Nytt Namn' } }) },
    { name: 'deactivate a user of Tekniska nämnden', expect: only('admin'), prepare: async () => ({ method: 'PATCH', url: `/api/users/${await userIn('tn')}`, payload: { version: 1, active: false } }) },
    {
      name: 'move a user of Socialnämnden to Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'PATCH', url: `/api/users/${await userIn('son')}`, payload: { version: 1, homeOrganisationId: ids.tn } }),
    },
  ],
  'POST /api/users/:id/roles': [
    {
      name: 'grant on Socialnämnden to a user of Socialnämnden',
      expect: only('admin', 'committeeAdmin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('son')}/roles`, payload: { organisationId: ids.son, role: 'officer' } }),
    },
    {
      name: 'grant on Tekniska nämnden to a user of Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('tn')}/roles`, payload: { organisationId: ids.tn, role: 'officer' } }),
    },
    {
      name: 'grant on Tekniska nämnden to a user of Socialnämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('son')}/roles`, payload: { organisationId: ids.tn, role: 'officer' } }),
    },
    {
      // The committee admin may grant on Socialnämnden, but must not see or change another committee's user.
      name: 'grant on Socialnämnden to a user of Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('tn')}/roles`, payload: { organisationId: ids.son, role: 'reader' } }),
    },
    {
      name: 'admin with subtree on the municipality root (escalation above own subtree)',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/users/${await userIn('son')}/roles`, payload: { organisationId: ids.lund, role: 'admin', includeSubtree: true } }),
    },
  ],
  'DELETE /api/users/:id/roles/:grantId': [
    {
      name: 'revoke a Socialnämnden grant of a Socialnämnden user',
      expect: only('admin', 'committeeAdmin'),
      prepare: async () => {
        const u = await userIn('son');
        return { method: 'DELETE', url: `/api/users/${u}/roles/${await grantOn(u, 'son')}` };
      },
    },
    {
      name: 'revoke a Tekniska nämnden grant of a Tekniska nämnden user',
      expect: only('admin'),
      prepare: async () => {
        const u = await userIn('tn');
        return { method: 'DELETE', url: `/api/users/${u}/roles/${await grantOn(u, 'tn')}` };
      },
    },
    {
      name: 'revoke a Tekniska nämnden grant of a Socialnämnden user',
      expect: only('admin'),
      prepare: async () => {
        const u = await userIn('son');
        return { method: 'DELETE', url: `/api/users/${u}/roles/${await grantOn(u, 'tn')}` };
      },
    },
    {
      name: 'revoke a Socialnämnden grant of a Tekniska nämnden user',
      expect: only('admin'),
      prepare: async () => {
        const u = await userIn('tn');
        return { method: 'DELETE', url: `/api/users/${u}/roles/${await grantOn(u, 'son')}` };
      },
    },
  ],
  // --- Organisations ---
  'GET /api/organisations': [{ name: 'the register', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/organisations' }) }],
  'GET /api/organisations/:id': [
    { name: 'Socialnämnden', expect: only('admin', 'coordinator', 'officer', 'reporter', 'reader', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: `/api/organisations/${ids.son}` }) },
    { name: 'a unit under Socialnämnden', expect: only('admin', 'coordinator', 'officer', 'reader', 'committeeAdmin'), prepare: async () => ({ method: 'GET', url: `/api/organisations/${await unitUnder('son')}` }) },
    { name: 'Tekniska nämnden', expect: only('admin', 'coordinator', 'reader'), prepare: () => ({ method: 'GET', url: `/api/organisations/${ids.tn}` }) },
    { name: 'the municipality', expect: only('admin', 'coordinator', 'reader'), prepare: () => ({ method: 'GET', url: `/api/organisations/${ids.lund}` }) },
    { name: 'the police (external partner)', expect: only('admin', 'coordinator', 'reader', 'partner'), prepare: () => ({ method: 'GET', url: `/api/organisations/${ids.polisen}` }) },
  ],
  'POST /api/organisations': [
    { name: 'under Socialnämnden', expect: only('admin', 'committeeAdmin'), prepare: () => ({ method: 'POST', url: '/api/organisations', payload: { type: 'unit', name: 'Ny enhet', parentId: ids.son } }) },
    { name: 'under Tekniska nämnden', expect: only('admin'), prepare: () => ({ method: 'POST', url: '/api/organisations', payload: { type: 'unit', name: 'Ny enhet', parentId: ids.tn } }) },
    { name: 'top level (external partner)', expect: only('admin'), prepare: () => ({ method: 'POST', url: '/api/organisations', payload: { type: 'partner', name: 'Ny partner', parentId: null } }) },
  ],
  'PATCH /api/organisations/:id': [
    { name: 'a unit under Socialnämnden', expect: only('admin', 'committeeAdmin'), prepare: async () => ({ method: 'PATCH', url: `/api/organisations/${await unitUnder('son')}`, payload: { version: 1, name: 'Nytt namn' } }) },
    { name: 'a unit under Tekniska nämnden', expect: only('admin'), prepare: async () => ({ method: 'PATCH', url: `/api/organisations/${await unitUnder('tn')}`, payload: { version: 1, name: 'Nytt namn' } }) },
    {
      name: 'the police (external partner)',
      expect: only('admin'),
      prepare: async () => {
        const { rows } = await ctx.database.db.execute<{ version: number }>(sql`select version from organisations where id = ${ids.polisen}`);
        return { method: 'PATCH', url: `/api/organisations/${ids.polisen}`, payload: { version: rows[0].version, shortName: 'Polisen' } };
      },
    },
  ],
  'POST /api/organisations/:id/move': [
    {
      name: 'within Socialnämnden',
      expect: only('admin', 'committeeAdmin'),
      prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('son')}/move`, payload: { version: 1, parentId: await unitUnder('son') } }),
    },
    {
      name: 'from Socialnämnden to Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('son')}/move`, payload: { version: 1, parentId: ids.tn } }),
    },
    {
      name: 'within Tekniska nämnden',
      expect: only('admin'),
      prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('tn')}/move`, payload: { version: 1, parentId: await unitUnder('tn') } }),
    },
  ],
  'POST /api/organisations/:id/active': [
    { name: 'deactivate a unit under Socialnämnden', expect: only('admin', 'committeeAdmin'), prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('son')}/active`, payload: { version: 1, active: false } }) },
    { name: 'deactivate a unit under Tekniska nämnden', expect: only('admin'), prepare: async () => ({ method: 'POST', url: `/api/organisations/${await unitUnder('tn')}/active`, payload: { version: 1, active: false } }) },
  ],
  // --- System-wide: rights on the municipality itself ---
  'GET /api/audit': [{ name: 'the log', expect: only('admin', 'coordinator'), prepare: () => ({ method: 'GET', url: '/api/audit' }) }],
  'GET /api/audit/verify': [{ name: 'chain check', expect: only('admin', 'coordinator'), prepare: () => ({ method: 'GET', url: '/api/audit/verify' }) }],
  'GET /api/admin/outbox': [{ name: 'outbox', expect: only('admin'), prepare: () => ({ method: 'GET', url: '/api/admin/outbox' }) }],
  'GET /api/admin/jobs': [{ name: 'jobs', expect: only('admin'), prepare: () => ({ method: 'GET', url: '/api/admin/jobs' }) }],
  // --- Generated files: only the requester sees the file (the kinds are declared by their modules) ---
  'GET /api/exports/:id': [
    { name: 'own file', expect: signedIn, prepare: async (p) => ({ method: 'GET', url: `/api/exports/${await exportOf(p)}` }) },
    { name: "someone else's file", expect: only('admin'), prepare: async () => ({ method: 'GET', url: `/api/exports/${await exportOf('admin', 'admin')}` }) },
  ],
  'GET /api/exports/:id/file': [
    { name: 'own file', expect: signedIn, prepare: async (p) => ({ method: 'GET', url: `/api/exports/${await exportOf(p)}/file` }) },
    { name: "the reader's file", expect: only('reader'), prepare: async () => ({ method: 'GET', url: `/api/exports/${await exportOf('reader', 'reader')}/file` }) },
  ],
};
