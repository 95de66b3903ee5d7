import type { ModuleFactory } from '../../lib/module.ts';
import { healthRoutes } from './health.routes.ts';

/** Liveness and readiness for the operator's monitoring. */
export const healthModule: ModuleFactory = ({ database }) => ({
  name: 'health',
  routes: (app) => healthRoutes(app, { database }),
});
