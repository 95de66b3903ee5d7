import type { ModuleFactory } from '../../lib/module.ts';
import { auditRoutes } from './audit.routes.ts';

/** The audit log (written by lib/audit.ts from every module), read and verified here. */
export const auditModule: ModuleFactory = ({ db }) => ({
  name: 'audit',
  routes: (app) => auditRoutes(app, { db }),
});
