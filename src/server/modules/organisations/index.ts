import type { ModuleFactory } from '../../lib/module.ts';
import { createOrganisationService } from './organisations.service.ts';
import { organisationRoutes } from './organisations.routes.ts';

export { organisationsRepo } from './organisations.repo.ts';

/** The organisation tree: the municipality, its committees and administrations, and partners. */
export const organisationsModule: ModuleFactory = ({ db }) => ({
  name: 'organisations',
  routes: (app) => organisationRoutes(app, { organisations: createOrganisationService({ db }) }),
});
