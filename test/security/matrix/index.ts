/**
 * Every module's role × route table. A new module adds its table here (test/security/matrix/<module>.ts):
 * the matrix fails on any registered route that no table declares.
 */
import type { MatrixTable } from '../matrix.ts';
import { foundationMatrix } from './foundation.ts';
import { programMatrix } from './program.ts';
import { incidentsMatrix } from './incidents.ts';
import { casesMatrix } from './cases.ts';
import { documentsMatrix } from './documents.ts';
import { sharesMatrix } from './shares.ts';
import { agendaMatrix } from './agenda.ts';
import { notificationsMatrix } from './notifications.ts';

export const MATRIX_TABLES: Record<string, MatrixTable> = {
  foundation: foundationMatrix,
  program: programMatrix,
  incidents: incidentsMatrix,
  cases: casesMatrix,
  documents: documentsMatrix,
  shares: sharesMatrix,
  agenda: agendaMatrix,
  notifications: notificationsMatrix,
};
