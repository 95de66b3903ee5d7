import type { ModuleFactory } from '../../lib/module.ts';
import { createBasemap } from './incidents.basemap.ts';
import { createAreaService } from './incidents.areas.ts';
import { lagesbildReportExport } from './incidents.lagesbild.ts';
import { createIncidentMap } from './incidents.map.ts';
import { createPoliceImporter, policePollJob, policeRecurring } from './incidents.police.ts';
import { incidentRoutes } from './incidents.routes.ts';
import { createIncidentService } from './incidents.service.ts';
import { createIncidentStats } from './incidents.stats.ts';
import { statisticsExport } from './incidents.statsexport.ts';
import { lagesbildRoutes } from './lagesbild.routes.ts';
import { lagesbildDecisionEffect } from './lagesbild.casework.ts';
import { workEnvironmentAlertJob, workEnvironmentRecurring } from './incidents.workenv.ts';

import { seedCrimeStatisticsDemo, seedIncidentDemo } from './incidents.seed.ts';
import { seedIncidentHistory } from './incidents.history.ts';
import { todayInStockholm } from '../../lib/time.ts';

export { findMapExtracts, mapExtractById } from './incidents.mapextracts.ts';

/** Incidents (reports, map, statistics, police import) and the weekly lägesbild with its reports. */
export const incidentsModule: ModuleFactory = ({ db, config }) => ({
  name: 'incidents',
  routes(app) {
    const basemaps = createBasemap(config);
    // A broken or vector PMTiles file stops the boot with a message, not the first map.
    app.addHook('onReady', async () => void (await basemaps.check()));
    lagesbildRoutes(app, { db, config });
    incidentRoutes(app, {
      incidents: createIncidentService({ db }),
      police: createPoliceImporter({ db, config }),
      areas: createAreaService({ db }),
      stats: createIncidentStats({ db }),
      map: createIncidentMap({ db }),
      basemaps,
    });
  },
  jobs: [policePollJob, workEnvironmentAlertJob],
  recurring: [...policeRecurring(config), ...workEnvironmentRecurring],
  exportKinds: [lagesbildReportExport, statisticsExport],
  // The body's decision adopts the lägesbild report put to it through a case (Lag 2023:196).
  decisionEffects: [lagesbildDecisionEffect],
  seed: {
    run: async ({ db, users, history }) => {
      await seedIncidentDemo(db, { coordinatorEmail: users.coordinator.email, reporterEmail: users.reporter.email });
      if (history) {
        await seedIncidentHistory(db, { coordinatorEmail: users.coordinator.email, reporterEmails: { son: users.reporter.email, tn: 'rapportor.tn@lund.example' } });
        await seedCrimeStatisticsDemo(db, { municipalityCode: config.MUNICIPALITY_CODES.split(',')[0].trim(), importedBy: users.coordinator.id, thisYear: Number(todayInStockholm().slice(0, 4)) });
      }
    },
  },
});
