import { agenda } from '../../../shared/schemas/agenda.ts';
import { requireActor } from '../../lib/context.ts';
import { errorResponses, type App } from '../../lib/http.ts';
import { agendaPolicies } from './agenda.policy.ts';
import type { AgendaService } from './agenda.service.ts';

const tags = ['Start'];

export function agendaRoutes(app: App, { agendaService }: { agendaService: AgendaService }) {
  app.get(
    '/api/me/agenda',
    {
      config: { policy: agendaPolicies.mine },
      schema: { tags, summary: 'Det som behöver mig nu: rapporter, uppgifter, remisser, uppdrag och tidsfrister', response: { 200: agenda, ...errorResponses } },
    },
    async (req) => agendaService.mine(requireActor(req)),
  );
}
