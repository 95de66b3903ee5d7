import type { ACTION_STATUSES, HEALTH } from '../../../shared/schemas/program.ts';

export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type Health = (typeof HEALTH)[number];

export interface RollupAction {
  id: string;
  parentActionId: string | null;
  status: ActionStatus;
  progress: number;
  weight: number;
  startDate: string | null;
  endDate: string | null;
}

export interface Rolled {
  progress: number | null;
  health: Health;
  /** Weight this node carries upwards (0 when cancelled: it no longer counts). */
  weight: number;
}

const DAY = 86_400_000;
/** An action this many percentage points behind its expected pace is red; this many, amber. */
export const PACE_RED = 30;
export const PACE_AMBER = 10;
/** A parent is red when this share of its children's weight is red; amber when any is red or this share is amber. */
export const RED_SHARE = 0.25;
export const AMBER_SHARE = 0.25;

export function healthFromShares(red: number, amber: number): Health {
  return red >= RED_SHARE ? 'red' : red > 0 || amber >= AMBER_SHARE ? 'amber' : 'green';
}

/** How far along an action should be today if it runs evenly from start to end (0–100), or null without dates. */
export function expectedProgress(a: Pick<RollupAction, 'startDate' | 'endDate'>, today: string): number | null {
  if (!a.startDate || !a.endDate) return null;
  const start = Date.parse(a.startDate);
  const end = Date.parse(a.endDate);
  const now = Date.parse(today);
  if (now <= start) return 0;
  if (now >= end) return 100;
  return Math.round(((now - start) / Math.max(end - start, DAY)) * 100);
}

/** One action on its own: done is green, delayed red, otherwise measured against the expected pace. */
export function actionHealth(a: RollupAction, today: string): Health {
  if (a.status === 'cancelled') return 'none';
  if (a.status === 'done') return 'green';
  if (a.status === 'delayed') return 'red';
  const expected = expectedProgress(a, today);
  if (expected === null) return 'green';
  const gap = expected - a.progress;
  if (gap > PACE_RED) return 'red';
  if (gap > PACE_AMBER) return 'amber';
  return 'green';
}

/** Combines children by weight: a quarter of the weight red makes the parent red; any red, or a quarter amber, amber. */
export function combine(children: Rolled[]): { progress: number | null; health: Health } {
  const counted = children.filter((c) => c.weight > 0 && c.progress !== null);
  const total = counted.reduce((s, c) => s + c.weight, 0);
  if (total === 0) return { progress: null, health: 'none' };
  const progress = counted.reduce((s, c) => s + c.weight * (c.progress as number), 0) / total;
  const share = (h: Health) => counted.filter((c) => c.health === h).reduce((s, c) => s + c.weight, 0) / total;
  return { progress: round1(progress), health: healthFromShares(share('red'), share('amber')) };
}

export const round1 = (v: number) => Math.round(v * 10) / 10;

const worse = (a: Health, b: Health): Health => {
  const order: Health[] = ['none', 'green', 'amber', 'red'];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
};

/**
 * Rolls every action up with its sub-actions: an action with sub-actions takes the weighted mean of
 * them (recursively); its own status can only make its health worse (a delayed parent is red).
 */
export function rollUpActions(actions: RollupAction[], today: string): Map<string, Rolled> {
  const children = new Map<string, RollupAction[]>();
  for (const a of actions) {
    if (!a.parentActionId) continue;
    const list = children.get(a.parentActionId) ?? [];
    list.push(a);
    children.set(a.parentActionId, list);
  }
  const out = new Map<string, Rolled>();
  const visit = (a: RollupAction, seen: Set<string>): Rolled => {
    const done = out.get(a.id);
    if (done) return done;
    let result: Rolled;
    const kids = (children.get(a.id) ?? []).filter((k) => !seen.has(k.id));
    if (a.status === 'cancelled') result = { progress: a.progress, health: 'none', weight: 0 };
    else if (kids.length === 0) result = { progress: a.progress, health: actionHealth(a, today), weight: a.weight };
    else {
      const next = new Set(seen).add(a.id);
      const combined = combine(kids.map((k) => visit(k, next)));
      result = {
        progress: combined.progress ?? a.progress,
        health: combined.health === 'none' ? actionHealth(a, today) : worse(combined.health, a.status === 'delayed' ? 'red' : 'none'),
        weight: a.weight,
      };
    }
    out.set(a.id, result);
    return result;
  };
  for (const a of actions) visit(a, new Set([a.id]));
  return out;
}
