import type { Db } from '../../db/client.ts';
import { createLinksPart } from './incidents.links.ts';
import { createPhotosPart } from './incidents.photos.ts';
import { createReportsPart } from './incidents.reports.ts';
import { createIncidentCore } from './incidents.shared.ts';
import { createTasksPart } from './incidents.tasks.ts';
import { createWorkEnvironmentPart } from './incidents.workenv.ts';

export { PHOTO_MAX_BYTES, toCategory } from './incidents.shared.ts';

/**
 * The incident service, one facade over its parts by sub-domain: reports and their handling
 * (incidents.reports.ts), tasks (incidents.tasks.ts), links to actions and cases (incidents.links.ts) and
 * photos (incidents.photos.ts), the work-environment handling of staff incidents (incidents.workenv.ts); what they share is incidents.shared.ts. The routes use this facade.
 */
export function createIncidentService({ db, now = () => new Date() }: { db: Db; now?: () => Date }) {
  const deps = { db, now };
  const core = createIncidentCore(deps);
  return {
    ...createReportsPart(deps, core),
    ...createPhotosPart(deps, core),
    ...createTasksPart(deps, core),
    ...createLinksPart(deps, core),
    ...createWorkEnvironmentPart(deps, core),
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
