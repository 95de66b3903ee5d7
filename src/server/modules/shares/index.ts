import type { ModuleFactory } from '../../lib/module.ts';
import { shareExpiryScanJob, sharesRecurring } from './shares.jobs.ts';
import { shareServerMessages } from './shares.messages.ts';
import { shareRoutes } from './shares.routes.ts';
import { createShareService } from './shares.service.ts';

export { createShareService, type ShareService } from './shares.service.ts';

/**
 * Partner sharing (one record with a partner organisation until an end date) and the secrecy-marking routes:
 * the access core's (src/server/access) user-facing part.
 */
export const sharesModule: ModuleFactory = ({ db }) => ({
  name: 'shares',
  routes: (app) => shareRoutes(app, { shares: createShareService({ db }), db }),
  jobs: [shareExpiryScanJob],
  recurring: sharesRecurring,
  messages: shareServerMessages,
});
