import { agenda, type Agenda } from '../../../shared/schemas/agenda.ts';
import { api } from '../../api/client.ts';

export type { Agenda };

/** The start page's agenda: what needs the signed-in person now (GET /api/me/agenda). */
export const agendaApi = {
  mine: () => api.get('/api/me/agenda', agenda),
};
