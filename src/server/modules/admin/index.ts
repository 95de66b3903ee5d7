import { mailJob } from '../../lib/mail.ts';
import { maintenanceJob, maintenanceRecurring } from '../../lib/maintenance.ts';
import type { ModuleFactory } from '../../lib/module.ts';
import { adminRoutes } from './admin.routes.ts';

/**
 * Operations: the job list and the mail outbox. It declares the built-in jobs whose code lives in lib
 * (sending mail, the hourly purge), since their state is what its pages show.
 */
export const adminModule: ModuleFactory = ({ db, config }) => ({
  name: 'admin',
  routes: (app) => adminRoutes(app, { db, smtpConfigured: !!config.SMTP_URL }),
  jobs: [mailJob, maintenanceJob],
  recurring: [maintenanceRecurring],
});
