import type { ModuleFactory } from '../../lib/module.ts';
import { documentDecisionEffects } from './documents.decision-effects.ts';
import { inForceExport } from './documents.export.ts';
import { documentsRecurring, reviewRemindJob, reviewScanJob } from './documents.jobs.ts';
import { documentRoutes } from './documents.routes.ts';
import { documentSearchPart } from './documents.search.ts';
import { createDocumentService } from './documents.service.ts';
import { documentServerMessages } from './documents.messages.ts';

/** The cases module's registry search includes governing documents through this part (app.ts passes it). */
export { documentSearchPart };
/** A program of the program module is its register entry: the program module creates and changes it through these. */
export { createProgramEntry, updateProgramEntry, PROGRAM_DOCUMENT_TYPE } from './documents.programs.ts';
import { seedDocumentsDemo } from './documents.seed.ts';

/** The register of governing documents: versions, review reminders, the list in force, decision effects. */
export const documentsModule: ModuleFactory = ({ db, files, config }) => ({
  name: 'documents',
  routes: (app) => documentRoutes(app, { documents: createDocumentService({ db, files, reviewReminderDays: config.DOCUMENT_REVIEW_REMINDER_DAYS }) }),
  jobs: [reviewScanJob, reviewRemindJob],
  recurring: documentsRecurring(),
  exportKinds: [inForceExport],
  decisionEffects: documentDecisionEffects,
  messages: documentServerMessages,
  seed: {
    // The strategy KS 2018/0316's third att-sats repeals and the program its first adopts: the cases module's seed links the att-satser to them.
    // The program KS 2018/0316 adopts is the program module's Lund program: its register entry (issue #11 item 3).
    after: ['program'],
    async run({ db, orgs, users, handed }) {
      const ids = await db.transaction((tx) => seedDocumentsDemo(tx, orgs, { createdBy: users.officer.id, programDocumentId: handed.get('program.documentId') ?? null }));
      handed.set('documents.strategyId', ids.strategyId);
      // The program KS 2018/0316's first att-sats adopts (at KF's decision).
      handed.set('documents.programId', ids.programId);
    },
  },
});
