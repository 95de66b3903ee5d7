import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { uuids } from '../../db/helpers.ts';

/** The SQL of the roll-up: the programme's head, its actions in compact form, the roll-up to goal level. */

export type RollupActionRow = {
  id: string;
  parent_action_id: string | null;
  goal_id: string;
  status: string;
  progress: number;
  weight: string;
  start_date: string | null;
  end_date: string | null;
  responsible_organisation_id: string;
  sub_areas: string[];
  /** With detail only: whether the reader may see the action (else its title is null). */
  visible?: boolean;
  title?: string | null;
  is_example?: boolean;
};

/** A goal in the roll-up's head, with its indicator's definition. */
export type RollupGoalHead = {
  id: string; focusAreaId: string; number: number; text: string;
  indicator: string | null; unit: string | null; baseline: number | null; targetValue: number | null; targetYear: number | null; scaleMin: number | null; scaleMax: number | null;
};

export const rollupsRepo = {
  /** The program, its focus areas and goals. */
  async rollupHead(ex: Executor, programId: string) {
    const head = await ex.execute<{ program: { id: string; title: string; owner: string } | null; focus: { id: string; number: number; title: string }[]; goals: RollupGoalHead[] }>(sql`
      select
        (select json_build_object('id', id, 'title', title, 'owner', owner_organisation_id) from programs where id = ${programId}) as program,
        (select coalesce(json_agg(json_build_object('id', f.id, 'number', f.number, 'title', f.title) order by f.number), '[]') from focus_areas f where f.program_id = ${programId}) as focus,
        (select coalesce(json_agg(json_build_object('id', g.id, 'focusAreaId', g.focus_area_id, 'number', g.number, 'text', g.text,
             'indicator', g.indicator, 'unit', g.unit, 'baseline', g.baseline::float8, 'targetValue', g.target_value::float8, 'targetYear', g.target_year, 'scaleMin', g.scale_min::float8, 'scaleMax', g.scale_max::float8) order by g.number), '[]')
           from goals g join focus_areas f on f.id = g.focus_area_id where f.program_id = ${programId}) as goals`);
    return head.rows[0];
  },
  /**
   * Everything the roll-up needs, in two round trips: the program, its focus areas and goals, and every
   * action of the program in compact form — all of them, whoever asks: the figures are the program's.
   * With `detail`, the access core's clause for plan actions (actionVisibleSql) marks which actions the
   * reader may see, and only those carry their title out of the database.
   */
  async rollupData(ex: Executor, programId: string, detail?: { visible: SQL }) {
    const { program, focus, goals } = await rollupsRepo.rollupHead(ex, programId);
    if (!program) return { program: null, focus: [], goals: [], actions: [] as RollupActionRow[] };
    // Plain rows: building JSON for thousands of actions costs more than the driver's row parsing.
    const actions = await ex.execute<RollupActionRow>(sql`
      select a.id, a.parent_action_id, a.goal_id, a.status, a.progress, a.weight, a.start_date, a.end_date, a.responsible_organisation_id, a.sub_areas${
        detail ? sql`, v.visible, case when v.visible then a.title end as title, a.is_example` : sql``
      }
      from plan_actions a join goals g on g.id = a.goal_id join focus_areas f on f.id = g.focus_area_id
      ${detail ? sql`cross join lateral (select ${detail.visible} as visible) v` : sql``}
      where f.program_id = ${programId}`);
    return { program, focus, goals, actions: actions.rows };
  },
  /**
   * The roll-up to goal level in one statement (sub-actions are one level deep), over every action of the
   * program whoever asks: per top-level
   * action its progress (its sub-actions' weighted mean, else its own) and health (status, pace against
   * its dates, its sub-actions' red/amber weight shares), then per goal the weighted progress and the
   * red/amber shares. rollup.ts holds the same rules for the per-action drill-down; a test keeps them equal.
   */
  async rollupGoals(
    ex: Executor,
    programId: string,
    f: { organisationIds?: string[]; subArea?: string; status?: string },
    rules: { today: string; paceRed: number; paceAmber: number; redShare: number; amberShare: number },
  ) {
    const r = await ex.execute<{ goal_id: string; progress: number | null; red: number | null; amber: number | null; n: number; not_started: number; in_progress: number; done: number; delayed: number; cancelled: number }>(sql`
      with v as (
        select a.id, a.parent_action_id, a.goal_id, a.status, a.progress, a.weight::float8 as w, a.start_date, a.end_date, a.responsible_organisation_id as org, a.sub_areas
        from plan_actions a join goals g on g.id = a.goal_id join focus_areas fa on fa.id = g.focus_area_id
        where fa.program_id = ${programId}
      ), h as (
        select v.*, case
          when status = 'cancelled' then 'none' when status = 'done' then 'green' when status = 'delayed' then 'red'
          when start_date is null or end_date is null then 'green'
          else case
            when (case when ${rules.today}::date <= start_date then 0 when ${rules.today}::date >= end_date then 100
                       else round(((${rules.today}::date - start_date)::numeric / greatest(end_date - start_date, 1)) * 100) end) - progress > ${rules.paceRed} then 'red'
            when (case when ${rules.today}::date <= start_date then 0 when ${rules.today}::date >= end_date then 100
                       else round(((${rules.today}::date - start_date)::numeric / greatest(end_date - start_date, 1)) * 100) end) - progress > ${rules.paceAmber} then 'amber'
            else 'green' end
          end as health
        from v
      ), kids as (
        select k.parent_action_id as id, round((sum(k.w * k.progress) / sum(k.w))::numeric, 1)::float8 as progress,
          coalesce(sum(k.w) filter (where k.health = 'red'), 0) / sum(k.w) as red,
          coalesce(sum(k.w) filter (where k.health = 'amber'), 0) / sum(k.w) as amber
        from h k where k.status <> 'cancelled' and k.parent_action_id in (select id from v)
        group by k.parent_action_id
      ), top as (
        select t.goal_id, t.status,
          case when t.status = 'cancelled' then 0 else t.w end as w,
          coalesce(k.progress, t.progress) as progress,
          case when t.status = 'cancelled' then 'none'
               when k.id is null then t.health
               when t.status = 'delayed' then 'red'
               when k.red >= ${rules.redShare} then 'red'
               when k.red > 0 or k.amber >= ${rules.amberShare} then 'amber'
               else 'green' end as health
        from h t left join kids k on k.id = t.id
        where (t.parent_action_id is null or t.parent_action_id not in (select id from v))
          ${f.organisationIds ? sql`and t.org = any(${uuids(f.organisationIds)})` : sql``}
          ${f.subArea ? sql`and ${f.subArea} = any(t.sub_areas)` : sql``}
          ${f.status ? sql`and t.status = ${f.status}` : sql``}
      )
      select goal_id,
        sum(w * progress) filter (where w > 0) / nullif(sum(w) filter (where w > 0), 0) as progress,
        coalesce(sum(w) filter (where w > 0 and health = 'red'), 0) / nullif(sum(w) filter (where w > 0), 0) as red,
        coalesce(sum(w) filter (where w > 0 and health = 'amber'), 0) / nullif(sum(w) filter (where w > 0), 0) as amber,
        count(*)::int as n,
        count(*) filter (where status = 'not_started')::int as not_started, count(*) filter (where status = 'in_progress')::int as in_progress,
        count(*) filter (where status = 'done')::int as done, count(*) filter (where status = 'delayed')::int as delayed,
        count(*) filter (where status = 'cancelled')::int as cancelled
      from top group by goal_id`);
    return r.rows;
  },
};
