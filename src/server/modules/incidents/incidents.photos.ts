import { recordAudit } from '../../lib/audit.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { can, type Actor } from '../../lib/policies.ts';
import { CONTENT_TYPE_OF, type SniffedKind } from '../../lib/uploads.ts';
import { incidentsRepo as repo } from './incidents.repo.ts';
import { iso, type Ctx, type IncidentCore, type IncidentPartDeps } from './incidents.shared.ts';

/** Photos on an incident: added by its reporter or a handler, read by those who see the incident. */
export function createPhotosPart(deps: IncidentPartDeps, core: IncidentCore) {
  const { db } = deps;
  const { visibleIncident, timeline } = core;
  return {
    async addPhoto(ctx: Ctx, actor: Actor, id: string, file: { filename: string; data: Buffer; kind: SniffedKind }) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const row = await visibleIncident(tx, actor, tree, id);
        if (row.reported_by !== actor.id && !can(actor, 'incidents.manage', row.organisation_id, tree)) throw new AppError('FORBIDDEN');
        const filename = (file.filename || 'bild').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'bild';
        const photo = (await repo.insertPhoto(tx, { incidentId: id, filename, contentType: CONTENT_TYPE_OF[file.kind], size: file.data.length, content: file.data, uploadedBy: actor.id }))!;
        await timeline(tx, ctx, id, 'photo', filename, { photoId: photo.id, size: photo.size });
        await recordAudit(tx, ctx, { entityType: 'incident_photo', entityId: photo.id, action: 'create', after: { incidentId: id, filename, size: photo.size, contentType: photo.contentType } });
        return { ...photo, createdAt: iso(photo.createdAt) };
      });
    },

    async getPhoto(actor: Actor, id: string, photoId: string) {
      const tree = await loadOrgTree(db);
      await visibleIncident(db, actor, tree, id);
      const photo = await repo.findPhoto(db, id, photoId);
      if (!photo) throw new AppError('PHOTO_NOT_FOUND');
      return photo;
    },

  };
}
