import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { one } from '../../db/helpers.ts';
import { incidentWorkEnvironment } from '../../db/schema/index.ts';
import { amlApplies, type WorkEnvironment } from '../../../shared/schemas/incidents.ts';

const iso = (d: Date) => d.toISOString();

export type WorkEnvironmentRow = typeof incidentWorkEnvironment.$inferSelect & { assessedByName: string | null };
type Values = Omit<typeof incidentWorkEnvironment.$inferInsert, 'incidentId' | 'version' | 'updatedAt'>;

/** The work-environment handling of staff incidents: one row per incident, saved with its version. */
export const workEnvironmentRepo = {
  async find(ex: Executor, incidentId: string): Promise<WorkEnvironmentRow | undefined> {
    const res = await ex.execute<Record<string, unknown>>(sql`
      select w.*, u.name as assessed_by_name from incident_work_environment w left join users u on u.id = w.assessed_by where w.incident_id = ${incidentId}`);
    const r = res.rows[0];
    if (!r) return undefined;
    return {
      incidentId: r.incident_id as string,
      serious: (r.serious as boolean | null) ?? null,
      assessmentNote: (r.assessment_note as string | null) ?? null,
      assessedBy: (r.assessed_by as string | null) ?? null,
      assessedAt: r.assessed_at ? new Date(r.assessed_at as string) : null,
      avReportedAt: r.av_reported_at ? new Date(r.av_reported_at as string) : null,
      avReference: (r.av_reference as string | null) ?? null,
      safetyRepInformedOn: r.safety_rep_informed_on ? String(r.safety_rep_informed_on).slice(0, 10) : null,
      investigation: (r.investigation as string | null) ?? null,
      measures: (r.measures as string | null) ?? null,
      injury: !!r.injury,
      injuryReportedOn: r.injury_reported_on ? String(r.injury_reported_on).slice(0, 10) : null,
      injuryReference: (r.injury_reference as string | null) ?? null,
      version: Number(r.version),
      updatedBy: (r.updated_by as string | null) ?? null,
      updatedAt: new Date(r.updated_at as string),
      assessedByName: (r.assessed_by_name as string | null) ?? null,
    };
  },

  /** Inserts the first version, or updates when `version` matches; undefined on a version conflict. */
  async save(ex: Executor, incidentId: string, version: number | null, v: Values) {
    if (version === null)
      return one(ex.insert(incidentWorkEnvironment).values({ incidentId, ...v }).onConflictDoNothing().returning());
    return one(
      ex
        .update(incidentWorkEnvironment)
        .set({ ...v, version: sql`${incidentWorkEnvironment.version} + 1`, updatedAt: new Date() })
        .where(sql`${incidentWorkEnvironment.incidentId} = ${incidentId} and ${incidentWorkEnvironment.version} = ${version}`)
        .returning(),
    );
  },

  /** The running work-environment clock of the incident, stopped or not. */
  clockOf: (ex: Executor, incidentId: string) =>
    ex
      .execute<{ id: string; stopped_at: Date | null; stop_reason: string | null; started_at: Date }>(sql`
        select id, stopped_at, stop_reason, started_at from incident_clocks where incident_id = ${incidentId} and kind = 'work_environment_report'`)
      .then((r) => r.rows[0]),

  /** Reopens a clock stopped as "not required" when the incident is assessed as serious after all. */
  reopenClock: (ex: Executor, clockId: string) =>
    ex.execute(sql`update incident_clocks set stopped_at = null, stop_reason = null, stop_note = null, stopped_by = null, alerted_at = null where id = ${clockId}`),

  /** Running work-environment clocks past their due time, not yet alerted: with the incident's organisation and owner. */
  overdueUnalerted: (ex: Executor, now: Date) =>
    ex
      .execute<{ id: string; incident_id: string; organisation_id: string; owner_id: string | null; category_name: string; started_at: Date; duration_minutes: number }>(sql`
        select k.id, k.incident_id, i.organisation_id, i.owner_id, c.name as category_name, k.started_at, k.duration_minutes
        from incident_clocks k join incidents i on i.id = k.incident_id join incident_categories c on c.id = i.category_id
        where k.kind = 'work_environment_report' and k.stopped_at is null and k.alerted_at is null
          and k.started_at + make_interval(mins => k.duration_minutes) < ${now}
        for update of k skip locked`)
      .then((r) => r.rows),
  markAlerted: (ex: Executor, clockId: string) => ex.execute(sql`update incident_clocks set alerted_at = now() where id = ${clockId}`),
};

/** The handling as the API shows it, for a staff-safety incident. */
export function toWorkEnvironment(staff: unknown, w: WorkEnvironmentRow | undefined): WorkEnvironment {
  return {
    applies: amlApplies(staff),
    serious: w?.serious ?? null,
    assessmentNote: w?.assessmentNote ?? null,
    assessedBy: w?.assessedByName ?? null,
    assessedAt: w?.assessedAt ? iso(w.assessedAt) : null,
    avReportedAt: w?.avReportedAt ? iso(w.avReportedAt) : null,
    avReference: w?.avReference ?? null,
    safetyRepInformedOn: w?.safetyRepInformedOn ?? null,
    investigation: w?.investigation ?? null,
    measures: w?.measures ?? null,
    injury: w?.injury ?? false,
    injuryReportedOn: w?.injuryReportedOn ?? null,
    injuryReference: w?.injuryReference ?? null,
    version: w?.version ?? null,
  };
}

