import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';
import { recordAudit } from '../../lib/audit.ts';
import { startClock } from '../../lib/clocks.ts';
import { loadOrgTree } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { t } from '../../lib/i18n.ts';
import { defineJob } from '../../lib/jobs.ts';
import type { RecurringJob } from '../../lib/job-runner.ts';
import { queueMail } from '../../lib/mail.ts';
import type { Actor } from '../../lib/policies.ts';
import { amlApplies, type saveWorkEnvironment } from '../../../shared/schemas/incidents.ts';
import { incidentsRepo as repo } from './incidents.repo.ts';
import { HANDLER_ROLES, type Ctx, type IncidentCore, type IncidentPartDeps } from './incidents.shared.ts';
import { workEnvironmentRepo as wrepo } from './incidents.workenv.repo.ts';

export const WORK_ENVIRONMENT_ALERT_JOB = 'incidents.work-environment-alerts';

/**
 * Starts the work-environment report clock of a staff-safety incident whose victim is the employer's worker
 * (arbetsmiljölagen 3 kap. 3 a §: "utan dröjsmål", from when the incident became known). Threats against
 * elected officials, contractors and others start none: they are not the employer's work-environment cases.
 * Idempotent (one clock per incident). Answers the new clock, if one was started.
 */
export async function startWorkEnvironmentClock(ex: Executor, incidentId: string) {
  const r = await ex.execute<{ staff_safety: boolean; staff: unknown; known_at: Date | string }>(sql`
    select c.staff_safety, i.staff, i.known_at from incidents i join incident_categories c on c.id = i.category_id where i.id = ${incidentId}`);
  const row = r.rows[0];
  if (!row?.staff_safety || !amlApplies(row.staff)) return undefined;
  return repo.insertClock(ex, { incidentId, ...startClock('work_environment_report', new Date(row.known_at)) });
}

/**
 * The employer's work-environment handling of a staff incident: seriousness assessment, report to
 * Arbetsmiljöverket, safety representative, investigation and measures, occupational-injury report. The
 * report clock follows the assessment: not serious stops it as not required; serious (again) reopens it;
 * the report to Arbetsmiljöverket stops it at the time it was made.
 */
export function createWorkEnvironmentPart(deps: IncidentPartDeps, core: IncidentCore) {
  const { db, now } = deps;
  const { managedIncident, detail, timeline } = core;
  return {
    async saveWorkEnvironment(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof saveWorkEnvironment>) {
      return db.transaction(async (tx) => {
        const tree = await loadOrgTree(tx);
        const inc = await managedIncident(tx, actor, tree, id);
        if (!inc.restricted || !amlApplies(inc.staff)) throw new AppError('WORK_ENVIRONMENT_NOT_APPLICABLE');
        const before = await wrepo.find(tx, id);
        if ((before?.version ?? null) !== input.version) throw new AppError('VERSION_CONFLICT');
        const avReportedAt = input.avReportedAt ? new Date(input.avReportedAt) : null;
        if (avReportedAt && avReportedAt < new Date(inc.occurred_at)) throw new AppError('VALIDATION_FAILED', [{ path: 'avReportedAt', message: 'END_BEFORE_START' }]);
        const assessed = input.serious !== (before?.serious ?? null);
        const saved = await wrepo.save(tx, id, input.version, {
          serious: input.serious,
          assessmentNote: input.assessmentNote ?? null,
          assessedBy: assessed ? actor.id : (before?.assessedBy ?? null),
          assessedAt: assessed ? now() : (before?.assessedAt ?? null),
          avReportedAt,
          avReference: input.avReference ?? null,
          safetyRepInformedOn: input.safetyRepInformedOn ?? null,
          investigation: input.investigation ?? null,
          measures: input.measures ?? null,
          injury: input.injury,
          injuryReportedOn: input.injuryReportedOn ?? null,
          injuryReference: input.injuryReference ?? null,
          updatedBy: actor.id,
        });
        if (!saved) throw new AppError('VERSION_CONFLICT');

        // The clock follows the assessment and the report.
        let clock = await wrepo.clockOf(tx, id);
        if (!clock && input.serious !== false) {
          await startWorkEnvironmentClock(tx, id);
          clock = await wrepo.clockOf(tx, id);
        }
        if (clock) {
          if (input.serious === true && clock.stop_reason === 'not_required') {
            await wrepo.reopenClock(tx, clock.id);
            await timeline(tx, ctx, id, 'clock_started', null, { kind: 'work_environment_report', reopened: true });
          } else if (!clock.stopped_at && input.serious === false) {
            await repo.stopClock(tx, clock.id, { stoppedAt: now(), stopReason: 'not_required', stopNote: input.assessmentNote ?? null, stoppedBy: actor.id });
            await timeline(tx, ctx, id, 'clock_stopped', input.assessmentNote ?? null, { kind: 'work_environment_report', reason: 'not_required' });
          }
          const current = await wrepo.clockOf(tx, id);
          if (avReportedAt && current && !current.stopped_at) {
            const at = avReportedAt < new Date(current.started_at) ? new Date(current.started_at) : avReportedAt;
            await repo.stopClock(tx, current.id, { stoppedAt: at, stopReason: 'reported', stopNote: input.avReference ?? null, stoppedBy: actor.id });
            await timeline(tx, ctx, id, 'clock_stopped', input.avReference ?? null, { kind: 'work_environment_report', reason: 'reported', stoppedAt: at.toISOString() });
          }
        }
        await timeline(tx, ctx, id, 'work_environment', null, {
          serious: input.serious,
          avReported: !!avReportedAt,
          safetyRepInformed: !!input.safetyRepInformedOn,
          injuryReported: !!input.injuryReportedOn,
        });
        await recordAudit(tx, ctx, { entityType: 'incident_work_environment', entityId: id, action: before ? 'update' : 'create', before: before ?? null, after: saved });
        return detail(tx, actor, tree, id);
      });
    },
  };
}

/**
 * Every 15 minutes: a work-environment report clock past its due time is announced once, by e-mail, to the
 * responsible manager (the incident's owner and those who handle incidents of its organisation) and the
 * coordinators (who handle incidents of the whole municipality). The mail names no details of the incident.
 */
export const workEnvironmentAlertJob = defineJob(WORK_ENVIRONMENT_ALERT_JOB, async ({ db, config }) => {
  return db.transaction(async (tx) => {
    const overdue = await wrepo.overdueUnalerted(tx, new Date());
    if (!overdue.length) return { alerted: 0 };
    const tree = await loadOrgTree(tx);
    const roles = HANDLER_ROLES.filter((r) => r !== 'admin');
    let sent = 0;
    for (const k of overdue) {
      const ancestors = tree.ancestorsOf(k.organisation_id);
      const people = await tx.execute<{ email: string; name: string; locale: string }>(sql`
        select distinct u.email, u.name, u.locale from users u
        where u.active and (u.id = ${k.owner_id} or exists (select 1 from role_grants g where g.user_id = u.id and g.role = any(${sql.param(roles)}::text[])
          and (g.organisation_id = ${k.organisation_id} or (g.include_subtree and g.organisation_id = any(${uuids(ancestors)})))))
        order by u.email`);
      const due = new Date(new Date(k.started_at).getTime() + k.duration_minutes * 60_000);
      for (const u of people.rows) {
        const locale = u.locale === 'en' ? 'en' : 'sv';
        const vars = {
          name: u.name,
          category: k.category_name,
          due: due.toLocaleString(locale === 'en' ? 'en-GB' : 'sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }),
          link: `${config.PUBLIC_URL.replace(/\/$/, '')}/handelser/${k.incident_id}`,
        };
        await queueMail(tx, { to: u.email, subject: t(locale, 'mail.workEnvironmentOverdue.subject', vars), text: t(locale, 'mail.workEnvironmentOverdue.text', vars) });
        sent++;
      }
      await wrepo.markAlerted(tx, k.id);
    }
    return { alerted: overdue.length, sent };
  });
});

export const workEnvironmentRecurring: RecurringJob[] = [{ type: WORK_ENVIRONMENT_ALERT_JOB, everyMs: 15 * 60_000 }];
