import type { Db } from '../../db/client.ts';
import { createActionsPart } from './program.actions.ts';
import { createProgramsPart } from './program.programs.ts';
import { createReportsPart } from './program.reports.ts';
import { createRollupPart } from './program.rollups.ts';
import { createRoundsPart } from './program.rounds.ts';
import { createIndicatorsPart } from './program.indicators.ts';
import { createRoundIndicatorsPart } from './program.indicators.rounds.ts';
import { today } from './program.shared.ts';

export { ATTACHMENT_MAX_BYTES, MAX_ATTACHMENTS } from './program.shared.ts';

/**
 * The programme service, one facade over its parts by sub-domain: programmes (with focus areas and
 * goals), actions, the roll-up, follow-up rounds and follow-up reports. Each part lives in its own file
 * and reads through program.repo.ts; the routes use this facade.
 */
export function createProgramService({ db, now = today }: { db: Db; now?: () => string }) {
  const deps = { db, now };
  const rollups = createRollupPart(deps);
  return {
    ...createProgramsPart(deps),
    ...createActionsPart(deps),
    ...rollups,
    ...createRoundsPart(deps, { rollups }),
    ...createReportsPart(deps),
    ...createIndicatorsPart(deps),
    ...createRoundIndicatorsPart(deps),
  };
}

export type ProgramService = ReturnType<typeof createProgramService>;
