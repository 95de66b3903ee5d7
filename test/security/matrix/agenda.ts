/** The agenda module's routes (issue #13 item 6): every signed-in person's own agenda, filtered inside by the access core. */
import { signedIn, type MatrixTable } from '../matrix.ts';

export const agendaMatrix: MatrixTable = {
  'GET /api/me/agenda': [{ name: 'own agenda', expect: signedIn, prepare: () => ({ method: 'GET', url: '/api/me/agenda' }) }],
};
