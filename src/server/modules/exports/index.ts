import { createExportJob } from '../../lib/exports.ts';
import type { ModuleFactory } from '../../lib/module.ts';
import { usersRepo } from '../users/index.ts';
import { exportRoutes } from './exports.routes.ts';

/**
 * Generated files: requests, status and download, and the job that builds them. The kinds come from the
 * other modules (their `exportKinds`), collected by the boot loop into `deps.exportKinds`.
 */
export const exportsModule: ModuleFactory = ({ db, exportKinds }) => ({
  name: 'exports',
  routes: (app) => exportRoutes(app, { db, kinds: exportKinds }),
  jobs: [createExportJob(exportKinds, (ex, id) => usersRepo.actorById(ex, id, 'job'))],
});
