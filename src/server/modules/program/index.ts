import type { ModuleFactory } from '../../lib/module.ts';
import { reminderJob } from './program.jobs.ts';
import { createPlanImporter, planExport } from './program.import.ts';
import { followupReportExport } from './program.report.ts';
import { programRoutes } from './program.routes.ts';
import { createIndicatorImporter } from './program.indicators.import.ts';
import { todayInStockholm } from '../../lib/time.ts';
import { createProgramService } from './program.service.ts';
import { actionFindingRoutes } from './program.findings.ts';

import { seedProgramDemo } from './program.seed.ts';

/**
 * The safety programme: programmes, focus areas and actions, follow-up rounds and reports, the
 * roll-up, the plan import/export and the follow-up report. The module to copy (docs/architecture.md).
 */
export const programModule: ModuleFactory = ({ db, config }) => ({
  name: 'program',
  routes: (app) => {
    programRoutes(app, { programs: createProgramService({ db }), importer: createPlanImporter({ db }), indicatorImporter: createIndicatorImporter({ db, municipalityCodes: config.MUNICIPALITY_CODES.split(',').map((c) => c.trim()), thisYear: () => Number(todayInStockholm().slice(0, 4)) }), db });
    // The action plan's link to the lägesbild's findings (Lag 2023:196).
    actionFindingRoutes(app, { db });
  },
  jobs: [reminderJob],
  exportKinds: [planExport, followupReportExport],
  seed: {
    async run({ db, users, handed }) {
      const ids = await seedProgramDemo(db, users.coordinator.email);
      // The Lund program's register entry: the documents module's seed names it as the program KS 2018/0316 adopts.
      handed.set('program.documentId', ids.programDocumentId);
    },
  },
});
