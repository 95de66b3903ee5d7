import { idParams } from '../../../shared/schemas/common.ts';
import {
  createOrganisation,
  moveOrganisation,
  organisation,
  organisationList,
  organisationListQuery,
  setOrganisationActive,
  updateOrganisation,
} from '../../../shared/schemas/organisations.ts';
import { contextOf, requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import type { OrganisationService } from './organisations.service.ts';
import { organisationPolicies } from './organisations.policy.ts';

const tags = ['Organisationer'];

export function organisationRoutes(app: App, { organisations }: { organisations: OrganisationService }) {
  app.get(
    '/api/organisations',
    {
      config: { policy: organisationPolicies.list },
      schema: { tags, summary: 'Lista organisationer', querystring: organisationListQuery, response: { 200: organisationList, ...errorResponses } },
    },
    async (req) => ({ items: await organisations.list(requireActor(req), req.query.includeInactive) }),
  );

  app.get(
    '/api/organisations/:id',
    {
      config: { policy: organisationPolicies.read },
      schema: { tags, summary: 'Hämta en organisation', params: idParams, response: { 200: organisation, ...errorResponses } },
    },
    async (req) => organisations.get(requireActor(req), req.params.id),
  );

  app.post(
    '/api/organisations',
    {
      // The parent decides: the service checks organisations.create on it (or on the municipality for a top-level one).
      config: { policy: organisationPolicies.create },
      schema: { tags, summary: 'Skapa organisation', body: createOrganisation, response: { 201: organisation, ...errorResponses } },
    },
    async (req, reply) => reply.code(201).send(await organisations.create(contextOf(req), requireActor(req), req.body)),
  );

  app.patch(
    '/api/organisations/:id',
    {
      config: { policy: organisationPolicies.update },
      schema: { tags, summary: 'Ändra organisation', params: idParams, body: updateOrganisation, response: { 200: organisation, ...errorResponses } },
    },
    async (req) => organisations.update(contextOf(req), requireActor(req), req.params.id, req.body),
  );

  app.post(
    '/api/organisations/:id/move',
    {
      config: { policy: organisationPolicies.update },
      schema: { tags, summary: 'Flytta organisation', params: idParams, body: moveOrganisation, response: { 200: organisation, ...errorResponses } },
    },
    async (req) => organisations.move(contextOf(req), requireActor(req), req.params.id, req.body.version, req.body.parentId),
  );

  app.post(
    '/api/organisations/:id/active',
    {
      config: { policy: organisationPolicies.update },
      schema: {
        tags,
        summary: 'Avaktivera eller återaktivera organisation',
        params: idParams,
        body: setOrganisationActive,
        response: { 200: organisation, ...errorResponses },
      },
    },
    async (req) => organisations.setActive(contextOf(req), requireActor(req), req.params.id, req.body.version, req.body.active),
  );
}

