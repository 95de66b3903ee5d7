import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { recordOpenSql } from '../../access/index.ts';
import { mapExtractById } from '../incidents/index.ts';
import type { SharedRecordT, ShareRecordType } from '../../../shared/schemas/access.ts';

/**
 * What a partner sees of each shareable record type: a fixed projection, chosen here and nowhere else.
 * Left out on purpose: who reported an incident (reports can be anonymous towards other readers), the
 * staff-safety details of a threat, a case's secret records, files, internal handling notes.
 */
type View = Omit<SharedRecordT, 'share' | 'comments'>;
interface ShareView {
  title(ex: Executor, id: string): Promise<string | undefined>;
  view(ex: Executor, id: string): Promise<View | undefined>;
}

const d = (v: Date | string | null | undefined) => (v ? new Date(v).toISOString() : '');
const field = (key: string, value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? [] : [{ key, value: String(value) }]);

async function first<T extends Record<string, unknown>>(ex: Executor, q: ReturnType<typeof sql>) {
  return (await ex.execute<T>(q)).rows[0];
}

const incident: ShareView = {
  async title(ex, id) {
    return (await this.view(ex, id))?.title;
  },
  async view(ex, id) {
    const r = await first<{ category: string; occurred_at: Date; place: string | null; lat: number | null; lon: number | null; description: string; status: string; severity: number | null; org: string; premises: string | null }>(
      ex,
      sql`select k.name as category, i.occurred_at, i.place, i.lat, i.lon, i.description, i.status, i.severity, o.name as org, i.premises
          from incidents i join incident_categories k on k.id = i.category_id join organisations o on o.id = i.organisation_id where i.id = ${id}`,
    );
    if (!r) return undefined;
    return {
      title: `${r.category}${r.place ? `, ${r.place}` : ''}`,
      fields: [
        ...field('category', r.category),
        ...field('occurredAt', d(r.occurred_at)),
        ...field('place', r.place),
        ...field('premises', r.premises),
        ...field('position', r.lat !== null && r.lon !== null ? `${r.lat.toFixed(5)}, ${r.lon.toFixed(5)}` : null),
        ...field('organisation', r.org),
        ...field('status', r.status),
        ...field('severity', r.severity),
      ],
      sections: [{ heading: 'description', text: r.description }],
      items: [],
    };
  },
};

const caseView: ShareView = {
  async title(ex, id) {
    const r = await first<{ t: string }>(ex, sql`select registry_number || ' ' || title as t from cases where id = ${id}`);
    return r?.t;
  },
  async view(ex, id) {
    const r = await first<{ registry_number: string; title: string; description: string | null; status: string; registered_on: string; org: string; case_type: string }>(
      ex,
      sql`select c.registry_number, c.title, c.description, c.status, c.registered_on::text as registered_on, o.name as org, c.case_type
          from cases c join organisations o on o.id = c.organisation_id where c.id = ${id}`,
    );
    if (!r) return undefined;
    // The case's records, as a reader without secrecy rights sees them: secret ones are left out entirely.
    const recs = await ex.execute<{ seq: number; record_date: string; title: string; direction: string; counterpart: string | null }>(sql`
      select r.seq, r.record_date::text as record_date, r.title, r.direction, r.counterpart from case_records r where r.case_id = ${id} and ${recordOpenSql('r')} order by r.seq`);
    return {
      title: `${r.registry_number} ${r.title}`,
      fields: [...field('registryNumber', r.registry_number), ...field('caseType', r.case_type), ...field('organisation', r.org), ...field('registeredOn', r.registered_on), ...field('status', r.status)],
      sections: r.description ? [{ heading: 'description', text: r.description }] : [],
      items: recs.rows.map((x) => ({ title: `${r.registry_number}-${x.seq} ${x.title}`, detail: [x.record_date, x.counterpart].filter(Boolean).join(' · ') })),
    };
  },
};

const record: ShareView = {
  async title(ex, id) {
    const r = await first<{ t: string }>(ex, sql`select c.registry_number || '-' || r.seq || ' ' || r.title as t from case_records r join cases c on c.id = r.case_id where r.id = ${id}`);
    return r?.t;
  },
  async view(ex, id) {
    const r = await first<{ registry_number: string; case_title: string; seq: number; title: string; record_date: string; direction: string; counterpart: string | null }>(
      ex,
      sql`select c.registry_number, c.title as case_title, r.seq, r.title, r.record_date::text as record_date, r.direction, r.counterpart
          from case_records r join cases c on c.id = r.case_id where r.id = ${id}`,
    );
    if (!r) return undefined;
    const files = await ex.execute<{ filename: string; size: number }>(sql`select filename, size from case_record_files where record_id = ${id} order by created_at`);
    return {
      title: `${r.registry_number}-${r.seq} ${r.title}`,
      fields: [...field('case', `${r.registry_number} ${r.case_title}`), ...field('recordDate', r.record_date), ...field('direction', r.direction), ...field('counterpart', r.counterpart)],
      sections: [],
      items: files.rows.map((f) => ({ title: f.filename, detail: `${Math.ceil(f.size / 1024)} kB` })),
    };
  },
};

const lagesbildReport: ShareView = {
  async title(ex, id) {
    return (await first<{ title: string }>(ex, sql`select title from lagesbild_reports where id = ${id}`))?.title;
  },
  async view(ex, id) {
    const r = await first<{ title: string; period_from: string; period_to: string; status: string; mapping_text: string; other_text: string; analysis_text: string; adopted_at: Date | null }>(
      ex,
      sql`select title, period_from::text as period_from, period_to::text as period_to, status, mapping_text, other_text, analysis_text, adopted_at from lagesbild_reports where id = ${id}`,
    );
    if (!r) return undefined;
    return {
      title: r.title,
      fields: [...field('period', `${r.period_from} – ${r.period_to}`), ...field('status', r.status), ...field('adoptedAt', d(r.adopted_at))],
      sections: [
        { heading: 'mapping', text: r.mapping_text },
        { heading: 'other', text: r.other_text },
        { heading: 'analysis', text: r.analysis_text },
      ].filter((s) => s.text),
      items: [],
    };
  },
};

const action: ShareView = {
  async title(ex, id) {
    return (await first<{ title: string }>(ex, sql`select title from plan_actions where id = ${id}`))?.title;
  },
  async view(ex, id) {
    const r = await first<{ title: string; description: string | null; status: string; progress: number; org: string; start_date: string | null; end_date: string | null; program: string; goal: string }>(
      ex,
      sql`select a.title, a.description, a.status, a.progress, o.name as org, a.start_date::text as start_date, a.end_date::text as end_date, p.title as program, g.text as goal
          from plan_actions a join organisations o on o.id = a.responsible_organisation_id join goals g on g.id = a.goal_id
          join focus_areas f on f.id = g.focus_area_id join programs p on p.id = f.program_id where a.id = ${id}`,
    );
    if (!r) return undefined;
    const subs = await ex.execute<{ title: string; status: string; progress: number }>(sql`select title, status, progress from plan_actions where parent_action_id = ${id} order by title`);
    return {
      title: r.title,
      fields: [...field('program', r.program), ...field('goal', r.goal), ...field('organisation', r.org), ...field('status', r.status), ...field('progress', `${r.progress} %`), ...field('startDate', r.start_date), ...field('endDate', r.end_date)],
      sections: r.description ? [{ heading: 'description', text: r.description }] : [],
      items: subs.rows.map((s) => ({ title: s.title, detail: `${s.progress} %` })),
    };
  },
};

/** A map extract: its box, period and category, and each incident's category, time and position as they were when it was made. */
const mapExtract: ShareView = {
  async title(ex, id) {
    return (await mapExtractById(ex, id))?.title;
  },
  async view(ex, id) {
    const m = await mapExtractById(ex, id);
    if (!m) return undefined;
    const [w, s, e, n] = m.bbox;
    return {
      title: m.title,
      fields: [
        ...field('period', m.from || m.to ? `${m.from ?? '…'} – ${m.to ?? '…'}` : null),
        ...field('category', m.category),
        ...field('area', `${s.toFixed(4)}, ${w.toFixed(4)} – ${n.toFixed(4)}, ${e.toFixed(4)}`),
        ...field('incidentCount', m.points.length),
        ...field('madeAt', m.createdAt),
      ],
      sections: [],
      items: m.points.map((p) => ({ title: p.category, detail: `${p.occurredAt} · ${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}` })),
      points: m.points.map((p) => ({ lat: p.lat, lon: p.lon, label: p.category })),
    };
  },
};

export const shareViews: Record<ShareRecordType, ShareView> = { incident, case: caseView, record, lagesbild_report: lagesbildReport, action, map_extract: mapExtract };
