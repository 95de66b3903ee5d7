import type { ModuleFactory } from '../../lib/module.ts';
import { agendaRoutes } from './agenda.routes.ts';
import { createAgendaService } from './agenda.service.ts';

/** What needs the person now, for the notifications module (which derives its list from the same sources). */
export { agendaRepo } from './agenda.repo.ts';
export { REVIEW_HORIZON_DAYS } from './agenda.service.ts';

/**
 * The start page's agenda (issue #13 item 6): what needs the signed-in person now, across the modules,
 * read through the access core. It owns no tables and seeds nothing.
 */
export const agendaModule: ModuleFactory = ({ db }) => ({
  name: 'agenda',
  routes: (app) => agendaRoutes(app, { agendaService: createAgendaService({ db }) }),
});
