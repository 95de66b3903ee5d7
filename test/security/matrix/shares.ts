/** Role × route matrix: partner sharing and secrecy markings (the access core's routes). See test/security/matrix.ts. */
import { sql } from 'drizzle-orm';
import { createShareService } from '../../../src/server/modules/shares/shares.service.ts';
import { usersRepo } from '../../../src/server/modules/users/users.repo.ts';
import { ctx, ids, only, type MatrixTable } from '../matrix.ts';
import { freshIncident } from './incidents.ts';

const inAWeek = () => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 7);
  return d.toISOString().slice(0, 10);
};

/** A fresh incident of Socialnämnden shared with the police by the coordinator. */
async function freshShare() {
  const inc = await freshIncident('son');
  const coordinator = await coordinatorActor();
  return createShareService({ db: ctx.database.db }).create({ requestId: 'matrix' }, coordinator, {
    recordType: 'incident',
    recordId: inc.id,
    partnerOrganisationId: ids.polisen,
    reason: 'Matrisdelning',
    endsOn: inAWeek(),
  });
}
async function coordinatorActor() {
  const r = await ctx.database.db.execute<{ id: string }>(sql`select id from users where email = 'samordnare@lund.example'`);
  return (await usersRepo.actorById(ctx.database.db, r.rows[0].id, 'matrix'))!;
}

/** shares.manage on Socialnämnden (the incident's organisation). */
const sonSharers = only('admin', 'coordinator', 'committeeAdmin');
/** shares.view on the police: the partner, and the municipality's administrator (external roots hang under the municipality). */
const policeViewers = only('admin', 'partner');
/** incidents.manage on Socialnämnden: may mark its incidents secret. */
const sonIncidentManagers = only('admin', 'coordinator', 'officer', 'committeeAdmin');

export const sharesMatrix: MatrixTable = {
  'POST /api/shares': [
    {
      name: "share a Socialnämnden incident with the police",
      expect: sonSharers,
      prepare: async () => ({ method: 'POST', url: '/api/shares', payload: { recordType: 'incident', recordId: (await freshIncident('son')).id, partnerOrganisationId: ids.polisen, reason: 'Matris', endsOn: inAWeek() } }),
    },
  ],
  'GET /api/shares': [{ name: 'the shares one may manage', expect: only('admin', 'coordinator', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: '/api/shares' }) }],
  'POST /api/shares/:id/revoke': [
    { name: 'revoke a share', expect: sonSharers, prepare: async () => ({ method: 'POST', url: `/api/shares/${(await freshShare()).id}/revoke`, payload: { reason: 'Matris', version: 1 } }) },
  ],
  'GET /api/shares/:id/comments': [
    { name: "a share's comments", expect: sonSharers, prepare: async () => ({ method: 'GET', url: `/api/shares/${(await freshShare()).id}/comments` }) },
  ],
  'POST /api/shares/:id/comments': [
    { name: 'comment as the owner side', expect: sonSharers, prepare: async () => ({ method: 'POST', url: `/api/shares/${(await freshShare()).id}/comments`, payload: { text: 'Matris' } }) },
  ],
  // Everyone holding shares.view somewhere may ask; the list holds only their partner organisations' shares.
  'GET /api/shared': [{ name: 'what is shared with us', expect: only('admin', 'partner', 'committeeAdmin'), prepare: () => ({ method: 'GET', url: '/api/shared' }) }],
  'GET /api/shared/:id': [
    { name: 'a record shared with the police', expect: policeViewers, prepare: async () => ({ method: 'GET', url: `/api/shared/${(await freshShare()).id}` }) },
  ],
  'POST /api/shared/:id/comments': [
    { name: 'comment as the partner', expect: policeViewers, prepare: async () => ({ method: 'POST', url: `/api/shared/${(await freshShare()).id}/comments`, payload: { text: 'Matris' } }) },
  ],
  'GET /api/secrecy/:type/:id': [
    { name: "a Socialnämnden incident's marking", expect: sonIncidentManagers, prepare: async () => ({ method: 'GET', url: `/api/secrecy/incident/${(await freshIncident('son')).id}` }) },
  ],
  'PUT /api/secrecy/:type/:id': [
    {
      name: 'mark a Socialnämnden incident secret',
      expect: sonIncidentManagers,
      prepare: async () => ({ method: 'PUT', url: `/api/secrecy/incident/${(await freshIncident('son')).id}`, payload: { secrecyRef: '18 kap. 8 § OSL', reason: 'Matris' } }),
    },
  ],
  'POST /api/secrecy/:type/:id/unmark': [
    {
      name: 'unmark a secret Socialnämnden incident',
      expect: sonIncidentManagers,
      prepare: async () => {
        const inc = await freshIncident('son');
        await ctx.database.db.execute(sql`update incidents set secrecy_ref = '18 kap. 8 § OSL', secrecy_reason = 'Matris' where id = ${inc.id}`);
        return { method: 'POST', url: `/api/secrecy/incident/${inc.id}/unmark`, payload: { reason: 'Matris' } };
      },
    },
  ],
};
