import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../lib/audit.ts';
import { incidentAreas } from '../../db/schema/index.ts';
import { areaOf } from './incidents.areas.ts';
import { storePoliceEvents, parsePoliceFile, pointInPolygons, type PoliceEventInput } from './incidents.police.ts';
import policeSample from '../../seed/polisen-sample-events.json' with { type: 'json' };

/**
 * The demo's history (issue #13 item 11): about three years of invented incidents in Lund before the seed day,
 * so that the lägesbild, its trend against last year and the weekly view have something to show. Deterministic:
 * a seeded PRNG, and dates relative to the seed day (so "last year" always has data). Every row is example data
 * (is_example). Generated in memory (generateIncidentHistory, pure) and inserted in a few statements over arrays
 * (seedIncidentHistory), not through the service one by one: the first start must stay quick.
 */

/** mulberry32: a small, fast, seeded PRNG (deterministic across platforms). */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]) => items[Math.floor(r() * items.length)]!;
function weighted<T>(r: Rand, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return items[items.length - 1]![0];
}
/** Knuth's Poisson draw (λ is small here). */
function poisson(r: Rand, lambda: number) {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

/** Places in Lund (invented events at real places); weight = how often something happens there. */
export const HISTORY_PLACES = [
  { name: 'Stortorget', lat: 55.7047, lon: 13.1934, w: 5 },
  { name: 'Lund C och Clemenstorget', lat: 55.7066, lon: 13.1878, w: 5 },
  { name: 'Mårtenstorget', lat: 55.7037, lon: 13.1969, w: 3 },
  { name: 'Stadsparken', lat: 55.6995, lon: 13.1902, w: 4 },
  { name: 'Lundagård', lat: 55.7054, lon: 13.1951, w: 3 },
  { name: 'Botaniska trädgården', lat: 55.7062, lon: 13.2045, w: 2 },
  { name: 'Norra Fäladen', lat: 55.7232, lon: 13.2005, w: 3 },
  { name: 'Linero', lat: 55.7115, lon: 13.2335, w: 3 },
  { name: 'Östra Torn', lat: 55.7155, lon: 13.2215, w: 2 },
  { name: 'Klostergården', lat: 55.6932, lon: 13.1755, w: 3 },
  { name: 'Värpinge', lat: 55.7045, lon: 13.1620, w: 1 },
  { name: 'Gunnesbo', lat: 55.7225, lon: 13.1735, w: 2 },
  { name: 'Nöbbelöv', lat: 55.7215, lon: 13.1840, w: 1 },
  { name: 'Brunnshög', lat: 55.7185, lon: 13.2290, w: 2 },
  { name: 'Järnåkra', lat: 55.6905, lon: 13.2045, w: 2 },
  { name: 'Nilstorp', lat: 55.6890, lon: 13.2165, w: 1 },
  { name: 'Södra Sandby', lat: 55.7180, lon: 13.3450, w: 2 },
  { name: 'Dalby', lat: 55.6660, lon: 13.3480, w: 2 },
  { name: 'Veberöd', lat: 55.6335, lon: 13.4925, w: 1 },
  { name: 'Genarp', lat: 55.6005, lon: 13.3985, w: 1 },
  { name: 'Stångby', lat: 55.7505, lon: 13.2005, w: 1 },
] as const;

/** Demo districts (boxes in lon/lat, named as examples): the statistics and the weekly view group by them. */
export const HISTORY_AREAS = [
  { name: 'Centrum (exempel)', box: [13.18, 55.695, 13.21, 55.712] },
  { name: 'Norr (exempel)', box: [13.16, 55.712, 13.215, 55.76] },
  { name: 'Öster (exempel)', box: [13.21, 55.7, 13.26, 55.73] },
  { name: 'Väster (exempel)', box: [13.14, 55.68, 13.18, 55.712] },
  { name: 'Söder (exempel)', box: [13.18, 55.68, 13.23, 55.695] },
  { name: 'Östra byarna (exempel)', box: [13.3, 55.58, 13.55, 55.74] },
] as const;

type Hours = 'evening' | 'night' | 'office' | 'day' | 'any';
/** Share of the day's events per hour (0–23) for each profile. */
const HOUR_WEIGHTS: Record<Hours, number[]> = {
  evening: [6, 5, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 6, 8, 9, 10, 9, 8],
  night: [8, 8, 7, 5, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 6, 7, 8],
  office: [0, 0, 0, 0, 0, 0, 1, 3, 6, 8, 8, 7, 6, 7, 8, 7, 5, 2, 1, 1, 0, 0, 0, 0],
  day: [1, 0, 0, 0, 0, 1, 2, 4, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5, 4, 3, 2, 2, 1],
  any: Array.from({ length: 24 }, () => 1),
};

interface CategoryModel {
  key: string;
  /** Mean events a day at the seed day's level (before the overall `scale`). */
  perDay: number;
  /** Factor by month, January first. */
  months: number[];
  hours: Hours;
  /** Factor on Friday and Saturday evenings/nights. */
  weekend?: number;
  /** Weekdays only (the office). */
  weekdays?: boolean;
  /** Extra factor on particular days of the year (month 1–12, day). */
  days?: [month: number, day: number, factor: number][];
  orgs: [string, number][];
  /** No position: happens indoors at a workplace, not at a place on the map. */
  indoors?: boolean;
  texts: string[];
  premises?: string[];
}

const SUMMER = [0.6, 0.6, 0.8, 1, 1.2, 1.6, 1.9, 1.7, 1.2, 0.9, 0.7, 0.6];
const DARK = [1.4, 1.3, 1.1, 0.9, 0.7, 0.6, 0.7, 0.8, 1, 1.2, 1.4, 1.5];
const FLAT = [1, 1, 1, 1, 1, 1, 0.8, 0.8, 1, 1, 1, 1];
/** The school year and the office: fewer in July and at Christmas. */
const TERM = [1, 1.1, 1.1, 1.1, 1.1, 0.8, 0.4, 0.7, 1.2, 1.2, 1.1, 0.8];

/** The categories of migration 0004/0012 with a believable rate, season and place. */
export const HISTORY_MODEL: CategoryModel[] = [
  { key: 'vandalism', perDay: 1.1, months: SUMMER, hours: 'evening', weekend: 1.6, days: [[4, 30, 5], [5, 1, 3], [6, 21, 2]], orgs: [['tn', 3], ['lkf', 3], ['bsn', 2], ['kfn', 1], ['sen', 1]],
    texts: ['Exempel: krossade rutor i busskur.', 'Exempel: sönderslagen parkbänk och papperskorg.', 'Exempel: skadegörelse på skolgården under kvällen, trasig belysning.', 'Exempel: uppbrutna förrådsdörrar i trapphus.'] },
  { key: 'graffiti', perDay: 0.8, months: [0.7, 0.7, 0.9, 1.1, 1.2, 1.3, 1.3, 1.3, 1.1, 1, 0.8, 0.7], hours: 'night', orgs: [['tn', 4], ['lkf', 2], ['bsn', 1], ['sen', 1]],
    texts: ['Exempel: klotter på fasad, ca 3 m².', 'Exempel: klotter på elskåp och gångtunnel.', 'Exempel: taggar på skolans gavel.'] },
  { key: 'fire', perDay: 0.22, months: [1.3, 0.8, 0.9, 1.2, 1.2, 1, 1, 1, 0.9, 0.9, 0.9, 1.1], hours: 'evening', weekend: 1.3, days: [[12, 31, 12], [1, 1, 8], [4, 30, 5], [6, 21, 2]], orgs: [['lkf', 3], ['tn', 2], ['bsn', 1], ['sen', 1]],
    texts: ['Exempel: brand i container, släckt av räddningstjänsten.', 'Exempel: brand i papperskorg.', 'Exempel: raket avfyrad mot balkong, mindre brandskada.', 'Exempel: anlagd brand i soprum.'], premises: ['Soprum, flerbostadshus', 'Skolgård', 'Återvinningsstation'] },
  { key: 'burglary', perDay: 0.3, months: [1.3, 1.2, 1, 0.9, 0.8, 0.9, 1.4, 1.1, 0.9, 1, 1.2, 1.3], hours: 'night', orgs: [['bsn', 2], ['sen', 2], ['lkf', 2], ['kfn', 1], ['un', 1]],
    texts: ['Exempel: inbrott i förråd, verktyg stulna.', 'Exempel: inbrottsförsök i skolans kök, larmet gick.', 'Exempel: inbrott i fritidsgård under natten.'], premises: ['Förråd', 'Skolkök', 'Fritidsgård'] },
  { key: 'theft', perDay: 0.7, months: [0.8, 0.8, 0.9, 1, 1, 1, 0.9, 1.3, 1.5, 1.2, 1, 0.9], hours: 'day', orgs: [['sen', 2], ['bsn', 2], ['kfn', 1], ['un', 1], ['tn', 1]],
    texts: ['Exempel: cykelstöld vid stationen.', 'Exempel: stöld av bärbar dator ur personalrum.', 'Exempel: stöld av bränsle ur arbetsmaskin.'] },
  { key: 'threats', perDay: 0.25, months: FLAT, hours: 'day', orgs: [['bsn', 2], ['son', 2], ['kfn', 1], ['kk', 1]],
    texts: ['Exempel: hot mellan ungdomar vid fritidsgården.', 'Exempel: hotfull person vid entrén.'] },
  { key: 'violence', perDay: 0.22, months: [0.8, 0.8, 0.9, 1, 1.1, 1.2, 1.2, 1.2, 1.1, 1, 0.9, 1], hours: 'night', weekend: 2, days: [[4, 30, 4]], orgs: [['bsn', 2], ['son', 1], ['un', 1], ['kfn', 1]],
    texts: ['Exempel: misshandel utanför nattklubb.', 'Exempel: slagsmål mellan ungdomar.'] },
  { key: 'disorder', perDay: 0.8, months: [0.5, 0.5, 0.7, 1, 1.4, 1.7, 1.9, 1.7, 1.2, 0.9, 0.7, 0.8], hours: 'evening', weekend: 1.8, days: [[4, 30, 8], [5, 1, 3], [12, 31, 3], [6, 21, 3]], orgs: [['tn', 3], ['kfn', 2], ['lkf', 2]],
    texts: ['Exempel: störande folksamling med hög musik sent på kvällen.', 'Exempel: berusade personer som stör i parken.', 'Exempel: mopedåkning i gångtunnel.'] },
  { key: 'drugs', perDay: 0.15, months: [0.9, 0.9, 0.9, 1, 1.1, 1.2, 1.2, 1.1, 1, 1, 0.9, 0.9], hours: 'evening', orgs: [['tn', 2], ['son', 1], ['un', 1]],
    texts: ['Exempel: misstänkt langning vid skolan.', 'Exempel: kanyler hittade i buskage.'] },
  { key: 'littering', perDay: 0.5, months: [0.5, 0.5, 0.7, 1, 1.5, 1.8, 1.9, 1.7, 1.1, 0.8, 0.6, 0.7], hours: 'day', days: [[5, 1, 10], [1, 1, 5]], orgs: [['tn', 4], ['rhs', 2]],
    texts: ['Exempel: nedskräpning efter fest i parken.', 'Exempel: dumpade möbler vid återvinningsstationen.', 'Exempel: raketrester och glas på torget.'] },
  { key: 'unsafe_place', perDay: 0.3, months: DARK, hours: 'evening', orgs: [['tn', 4], ['lkf', 2], ['kk-ts', 1]],
    texts: ['Exempel: trasig gatubelysning längs gångväg, upplevs otryggt.', 'Exempel: igenvuxet buskage skymmer sikten vid passage.', 'Exempel: mörk cykelparkering.'] },
  { key: 'traffic', perDay: 0.3, months: [1.3, 1.2, 1, 0.9, 0.9, 0.8, 0.7, 1.1, 1.2, 1, 1.1, 1.3], hours: 'day', orgs: [['tn', 4]],
    texts: ['Exempel: trafikolycka vid övergångsställe, lindriga skador.', 'Exempel: fortkörning förbi skolan vid skolstart.', 'Exempel: halka, cyklist omkullkörd.'] },
  { key: 'it_security', perDay: 0.07, months: TERM, hours: 'office', weekdays: true, orgs: [['sen', 3], ['kk', 2], ['son', 1], ['bsn', 1]], indoors: true,
    texts: ['Exempel: nätfiskemejl till flera anställda, ett konto spärrat.', 'Exempel: borttappad mobiltelefon med tjänstemejl.', 'Exempel: personuppgifter skickade till fel mottagare.'] },
  { key: 'accident', perDay: 0.15, months: [1.2, 1.2, 1, 1, 1, 0.9, 0.8, 0.9, 1, 1, 1.1, 1.2], hours: 'day', orgs: [['von', 2], ['bsn', 2], ['tn', 1]],
    texts: ['Exempel: fallolycka på isig trappa.', 'Exempel: elev skadad i klätterställning.'] },
  { key: 'near_miss', perDay: 0.3, months: TERM, hours: 'office', weekdays: true, orgs: [['von', 2], ['bsn', 1], ['sen', 1], ['tn', 1]], indoors: true,
    texts: ['Exempel: lös takplatta föll nära personal.', 'Exempel: läkemedel förväxlat men upptäckt i tid.', 'Exempel: nödutgång blockerad av leverans.'], premises: ['Vård- och omsorgsboende', 'Skola', 'Kontor'] },
  { key: 'staff_threat', perDay: 0.3, months: TERM, hours: 'office', weekdays: true, orgs: [['son', 4], ['von', 2], ['bsn', 2], ['un', 1], ['kk', 1]], indoors: true,
    texts: ['Exempel: besökare hotade handläggare verbalt i receptionen.', 'Exempel: elev knuffade lärare i korridoren.', 'Exempel: hotfullt telefonsamtal till personal.', 'Exempel: brukare slog personal i samband med omvårdnad.'], premises: ['Receptionen', 'Korridor', 'Boende', 'Telefon'] },
  { key: 'robbery', perDay: 0.04, months: FLAT, hours: 'night', orgs: [['tn', 1], ['kfn', 1]],
    texts: ['Exempel: rån av mobiltelefon i gångtunnel.'] },
  { key: 'weapons', perDay: 0.02, months: FLAT, hours: 'night', orgs: [['tn', 1]],
    texts: ['Exempel: kniv hittad vid skolgård, överlämnad till polisen.'] },
  { key: 'other', perDay: 0.06, months: FLAT, hours: 'day', orgs: [['tn', 1], ['kk', 1]],
    texts: ['Exempel: övergiven bil vid naturreservat.', 'Exempel: skadat djur på cykelväg.'] },
];

export interface HistoryIncident {
  categoryKey: string;
  orgKey: string;
  description: string;
  occurredAt: Date;
  knownAt: Date;
  lat: number | null;
  lon: number | null;
  place: string | null;
  premises: string | null;
  severity: 1 | 2 | 3;
  status: 'new' | 'in_progress' | 'resolved' | 'closed';
  staff: { victimRole: string; perpetratorRelation: string; policeReportNumber: null; sickLeave: boolean; sickLeaveDays: number | null } | null;
  isExample: true;
}

const DAY = 86_400_000;

/** A point within about 350 m of the place, inside the municipal boundary (the place itself if none is found). */
function near(r: Rand, p: { lat: number; lon: number }) {
  for (let tries = 0; tries < 10; tries++) {
    const lat = p.lat + (r() - 0.5) * 0.0063;
    const lon = p.lon + (r() - 0.5) * 0.011;
    if (pointInPolygons(lon, lat)) return { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 };
  }
  return { lat: p.lat, lon: p.lon };
}
/** The Swedish clock (UTC+1, +2 in summer: last Sunday of March to last Sunday of October) is close enough here. */
const swedishOffsetHours = (d: Date) => {
  const y = d.getUTCFullYear();
  const lastSunday = (m: number) => {
    const last = new Date(Date.UTC(y, m + 1, 0));
    return Date.UTC(y, m, last.getUTCDate() - last.getUTCDay(), 1);
  };
  return d.getTime() >= lastSunday(2) && d.getTime() < lastSunday(9) ? 2 : 1;
};

/**
 * Invents `years` years of incidents ending the day before `seedDay` (local days in Sweden). A mild growth
 * (about 6 % a year) gives the trend against last year a direction. The same seed and day → the same history.
 */
export function generateIncidentHistory(seedDay: Date, opts: { years?: number; seed?: number; scale?: number } = {}): HistoryIncident[] {
  const r = prng(opts.seed ?? 20180316);
  const years = opts.years ?? 3;
  const scale = opts.scale ?? 0.65;
  // Midnight (UTC) of the seed day; days are counted back from it.
  const today = Date.UTC(seedDay.getUTCFullYear(), seedDay.getUTCMonth(), seedDay.getUTCDate());
  const days = Math.round(years * 365.25);
  const out: HistoryIncident[] = [];
  for (let back = days; back >= 1; back--) {
    const dayStart = today - back * DAY;
    const d = new Date(dayStart);
    const month = d.getUTCMonth();
    const dom = d.getUTCDate();
    const dow = d.getUTCDay(); // 0 Sunday … 6 Saturday
    const growth = Math.pow(1.06, -back / 365.25);
    for (const m of HISTORY_MODEL) {
      if (m.weekdays && (dow === 0 || dow === 6)) continue;
      let lambda = m.perDay * m.months[month]! * growth * scale;
      if (m.weekend && (dow === 5 || dow === 6)) lambda *= m.weekend;
      for (const [mm, dd, f] of m.days ?? []) if (mm === month + 1 && dd === dom) lambda *= f;
      const n = poisson(r, lambda);
      for (let i = 0; i < n; i++) out.push(invent(r, m, dayStart, back, seedDay));
    }
  }
  return out;
}

function invent(r: Rand, m: CategoryModel, dayStart: number, back: number, seedDay: Date): HistoryIncident {
  const hour = weighted(r, HOUR_WEIGHTS[m.hours].map((w, h) => [h, w] as const));
  const localMs = dayStart + hour * 3_600_000 + Math.floor(r() * 60) * 60_000;
  const occurredAt = new Date(localMs - swedishOffsetHours(new Date(localMs)) * 3_600_000);
  // Reported within minutes to a day and a half; never after the seed moment.
  const known = Math.min(occurredAt.getTime() + Math.floor(r() * r() * 36 * 60) * 60_000, seedDay.getTime() - 60_000);
  const knownAt = new Date(Math.max(known, occurredAt.getTime()));
  let lat: number | null = null;
  let lon: number | null = null;
  let place: string | null = null;
  if (!m.indoors) {
    const p = weighted(r, HISTORY_PLACES.map((pl) => [pl, pl.w] as const));
    place = p.name;
    ({ lat, lon } = near(r, p));
  }
  const status: HistoryIncident['status'] =
    back > 45 ? (r() < 0.85 ? 'closed' : 'resolved') : back > 14 ? weighted(r, [['in_progress', 1], ['resolved', 2], ['closed', 4]] as const) : weighted(r, [['new', 3], ['in_progress', 1], ['resolved', 1]] as const);
  const severity = weighted(r, [[1, 5], [2, 4], [3, 1]] as const);
  const staff =
    m.key === 'staff_threat'
      ? {
          victimRole: weighted(r, [['employee', 8], ['elected_official', 1], ['student_trainee', 1]] as const),
          perpetratorRelation: weighted(r, [['client', 5], ['student', 2], ['relative', 2], ['member_of_public', 2], ['unknown', 1]] as const),
          policeReportNumber: null,
          sickLeave: false,
          sickLeaveDays: null,
        }
      : null;
  return {
    categoryKey: m.key,
    orgKey: weighted(r, m.orgs),
    description: pick(r, m.texts),
    occurredAt,
    knownAt,
    lat,
    lon,
    place,
    premises: m.premises ? pick(r, m.premises) : null,
    severity,
    status,
    staff,
    isExample: true,
  };
}

/**
 * The sample police events (../shared/data/polisen, copied to src/server/seed/polisen-sample-events.json) as the
 * demo's police layer. The sample is a day and a half from all over Sweden in August 2026, so for the demo each
 * event is moved: its date to one of the last 14 days before the seed day (time of day kept), its position to one
 * of the places in Lund, its place name to Lund, and its summary marked as an example; its link is dropped (the
 * police page is about another place). The police ids are kept.
 */
export function demoPoliceEvents(seedDay: Date, seed = 20180316): PoliceEventInput[] {
  const r = prng(seed + 1);
  const { events } = parsePoliceFile(JSON.stringify(policeSample));
  const today = Date.UTC(seedDay.getUTCFullYear(), seedDay.getUTCMonth(), seedDay.getUTCDate());
  const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
  return events.map((e) => {
    const back = 1 + Math.floor(r() * 14);
    const origDay = Date.UTC(e.datetime.getUTCFullYear(), e.datetime.getUTCMonth(), e.datetime.getUTCDate());
    const datetime = new Date(e.datetime.getTime() + (today - back * DAY - origDay));
    const p = weighted(r, HISTORY_PLACES.map((pl) => [pl, pl.w] as const));
    const local = new Date(datetime.getTime() + swedishOffsetHours(datetime) * 3_600_000);
    const hhmm = `${String(local.getUTCHours()).padStart(2, '0')}.${String(local.getUTCMinutes()).padStart(2, '0')}`;
    return {
      ...e,
      datetime,
      name: `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${hhmm}, ${e.type}, Lund`,
      summary: `Exempel (polisens exempelhändelse, flyttad till Lund): ${e.summary}`,
      url: null,
      locationName: 'Lund',
      ...near(r, p),
    };
  });
}

/**
 * Inserts the history in bulk: the demo districts (when there are no areas yet), one statement for the incidents (unnest over arrays), one for their "reported"
 * timeline entries, one for the stopped work-environment clocks of historical staff threats (so no old clock
 * shows as overdue), the police layer through the importer's storePoliceEvents, and one audit entry. Staff
 * threats stay restricted (copied from the category, as when reported). The incident_counts triggers count them.
 */
export async function seedIncidentHistory(db: Db, opts: { seedDay?: Date; coordinatorEmail: string; reporterEmails: Record<string, string> }) {
  const seedDay = opts.seedDay ?? new Date();
  const rows = generateIncidentHistory(seedDay);
  const orgs = new Map((await db.execute<{ key: string; id: string }>(sql`select key, id from organisations where key is not null`)).rows.map((r) => [r.key, r.id]));
  const cats = new Map((await db.execute<{ key: string; id: string; staff_safety: boolean }>(sql`select key, id, staff_safety from incident_categories`)).rows.map((r) => [r.key, r]));
  const users = new Map((await db.execute<{ email: string; id: string }>(sql`select email, id from users`)).rows.map((r) => [r.email, r.id]));
  const coordinator = users.get(opts.coordinatorEmail);
  if (!coordinator) throw new Error(`seedIncidentHistory: no user ${opts.coordinatorEmail}`);
  const reporterOf = (orgKey: string) => users.get(opts.reporterEmails[orgKey] ?? '') ?? coordinator;
  const ids = rows.map(() => randomUUID());
  const col = <T>(f: (h: HistoryIncident, i: number) => T) => rows.map(f);
  for (const h of rows) {
    if (!cats.has(h.categoryKey)) throw new Error(`seedIncidentHistory: no category ${h.categoryKey}`);
    if (!orgs.has(h.orgKey)) throw new Error(`seedIncidentHistory: no organisation ${h.orgKey}`);
  }
  await db.transaction(async (tx) => {
    // The demo districts, unless the municipality already has areas of its own.
    const hasAreas = (await tx.execute<{ n: number }>(sql`select count(*)::int as n from incident_areas`)).rows[0]!.n > 0;
    if (!hasAreas)
      await tx.insert(incidentAreas).values(
        HISTORY_AREAS.map(({ name, box: [minLon, minLat, maxLon, maxLat] }) => ({
          name,
          kind: 'district',
          geometry: { type: 'Polygon', coordinates: [[[minLon, minLat], [maxLon, minLat], [maxLon, maxLat], [minLon, maxLat], [minLon, minLat]]] },
          minLon, minLat, maxLon, maxLat,
        })),
      );
    const areas = await tx.select().from(incidentAreas).orderBy(incidentAreas.priority, incidentAreas.name);
    await tx.execute(sql`
      insert into incidents (id, category_id, description, occurred_at, known_at, lat, lon, place, organisation_id, premises, reported_by,
        status, severity, owner_id, restricted, staff, area_id, is_example, created_at, updated_at)
      select id, category_id, description, occurred_at, known_at, lat, lon, place, organisation_id, premises, reported_by,
        status, severity, case when status = 'new' then null else ${coordinator}::uuid end, restricted, staff, area_id, true, known_at, known_at
      from unnest(${sql.param(ids)}::uuid[], ${sql.param(col((h) => cats.get(h.categoryKey)!.id))}::uuid[], ${sql.param(col((h) => h.description))}::text[],
        ${sql.param(col((h) => h.occurredAt.toISOString()))}::timestamptz[], ${sql.param(col((h) => h.knownAt.toISOString()))}::timestamptz[],
        ${sql.param(col((h) => h.lat))}::float8[], ${sql.param(col((h) => h.lon))}::float8[], ${sql.param(col((h) => h.place))}::text[],
        ${sql.param(col((h) => orgs.get(h.orgKey)!))}::uuid[], ${sql.param(col((h) => h.premises))}::text[], ${sql.param(col((h) => reporterOf(h.orgKey)))}::uuid[],
        ${sql.param(col((h) => h.status))}::text[], ${sql.param(col((h) => h.severity))}::int[], ${sql.param(col((h) => cats.get(h.categoryKey)!.staff_safety))}::bool[],
        ${sql.param(col((h) => (h.staff ? JSON.stringify(h.staff) : null)))}::jsonb[], ${sql.param(col((h) => areaOf(areas, h.lat, h.lon)))}::uuid[])
        as t(id, category_id, description, occurred_at, known_at, lat, lon, place, organisation_id, premises, reported_by, status, severity, restricted, staff, area_id)`);
    await tx.execute(sql`
      insert into incident_timeline (incident_id, at, actor_id, kind, data)
      select t.id, t.at, t.actor, 'reported', jsonb_build_object('categoryKey', t.category_key)
      from unnest(${sql.param(ids)}::uuid[], ${sql.param(col((h) => h.knownAt.toISOString()))}::timestamptz[], ${sql.param(col((h) => reporterOf(h.orgKey)))}::uuid[],
        ${sql.param(col((h) => h.categoryKey))}::text[]) as t(id, at, actor, category_key)`);
    const clocked = rows.flatMap((h, i) => (h.staff?.victimRole === 'employee' ? [{ id: ids[i]!, h }] : []));
    if (clocked.length)
      await tx.execute(sql`
        insert into incident_clocks (incident_id, kind, started_at, duration_minutes, stopped_at, stop_reason, stop_note, stopped_by)
        select t.id, 'work_environment_report', t.started, 1440, t.started + interval '3 hours', 'not_required', 'Exempel: bedömt som inte allvarligt.', ${coordinator}::uuid
        from unnest(${sql.param(clocked.map((c) => c.id))}::uuid[], ${sql.param(clocked.map((c) => c.h.knownAt.toISOString()))}::timestamptz[]) as t(id, started)`);
    const police = demoPoliceEvents(seedDay);
    await storePoliceEvents(tx, police);
    await recordAudit(tx, { actor: undefined, requestId: 'seed' }, {
      entityType: 'incident',
      entityId: 'demo-history',
      action: 'seed',
      after: { incidents: rows.length, areas: hasAreas ? 0 : HISTORY_AREAS.length, from: rows[0]?.occurredAt.toISOString() ?? null, policeEvents: police.length, isExample: true },
    });
  });
  return { incidents: rows.length };
}
