/**
 * Goal fulfilment from a goal's indicator (issue #11 item 4): pure rules, shared by the roll-up, the goal's
 * trend and the council report, so every place shows the same figure.
 */

export interface IndicatorDef {
  unit: string | null;
  baseline: number | null;
  targetValue: number | null;
  scaleMin: number | null;
  scaleMax: number | null;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The indicator's scale: its own bounds, else 0–100 for a percentage, else unbounded. */
export function scaleOf(d: Pick<IndicatorDef, 'unit' | 'scaleMin' | 'scaleMax'>): { min: number | null; max: number | null } {
  const percent = !!d.unit && /^\s*(%|procent|percent)\s*$/i.test(d.unit);
  return { min: d.scaleMin ?? (percent ? 0 : null), max: d.scaleMax ?? (percent ? 100 : null) };
}

export function withinScale(d: Pick<IndicatorDef, 'unit' | 'scaleMin' | 'scaleMax'>, value: number) {
  const s = scaleOf(d);
  return Number.isFinite(value) && (s.min === null || value >= s.min) && (s.max === null || value <= s.max);
}

/**
 * How far the latest value has come from the baseline toward the target, 0–100 (a target below the baseline
 * counts downwards); `reached` when it is at or past the target. Without a target or a value: null. Without a
 * baseline only reached (100) or not (null) can be said.
 */
export function fulfilmentOf(d: IndicatorDef, latest: number | null): { fulfilment: number | null; reached: boolean | null } {
  if (latest === null || d.targetValue === null) return { fulfilment: null, reached: null };
  const down = d.baseline !== null && d.targetValue < d.baseline;
  const reached = down ? latest <= d.targetValue : latest >= d.targetValue;
  if (reached) return { fulfilment: 100, reached };
  if (d.baseline === null || d.baseline === d.targetValue) return { fulfilment: d.baseline === null ? null : 0, reached };
  const share = ((latest - d.baseline) / (d.targetValue - d.baseline)) * 100;
  return { fulfilment: round1(Math.min(100, Math.max(0, share))), reached };
}

/** The mean fulfilment of the goals that have one (a focus area, the programme); null when none has. */
export function meanFulfilment(list: (number | null | undefined)[]): number | null {
  const xs = list.filter((v): v is number => typeof v === 'number');
  return xs.length ? round1(xs.reduce((s, v) => s + v, 0) / xs.length) : null;
}

/** Implementation rate: done actions over the counted ones (cancelled do not count), 0–100; null without actions. */
export function implementationRate(c: { not_started: number; in_progress: number; done: number; delayed: number; cancelled: number }): number | null {
  const counted = c.not_started + c.in_progress + c.done + c.delayed;
  return counted ? round1((c.done / counted) * 100) : null;
}
