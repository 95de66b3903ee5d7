/**
 * Legal clocks: a deadline that a law starts when something becomes known (the employer's report of a
 * serious incident to Arbetsmiljöverket, a personal-data breach to IMY…). Shared by every module that
 * shows one; a module stores started/stopped times and asks this file for due time and state.
 */
export const CLOCK_KINDS = {
  /** Arbetsmiljölagen 3 kap. 3 a §: "utan dröjsmål"; SKR/Partsrådet: within 24 hours. */
  work_environment_report: {
    name: 'Anmälan av allvarligt tillbud/olycka till Arbetsmiljöverket',
    legalRef: 'Arbetsmiljölagen (1977:1160) 3 kap. 3 a §',
    durationMinutes: 24 * 60,
  },
  /** GDPR art. 33: notify the supervisory authority (IMY) within 72 hours. */
  gdpr_breach_report: {
    name: 'Anmälan av personuppgiftsincident till IMY',
    legalRef: 'Dataskyddsförordningen (EU) 2016/679 art. 33',
    durationMinutes: 72 * 60,
  },
} as const;
export type ClockKind = keyof typeof CLOCK_KINDS;
export const CLOCK_STATES = ['running', 'overdue', 'stopped'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export interface StoredClock {
  id: string;
  kind: string;
  startedAt: Date;
  durationMinutes: number;
  stoppedAt: Date | null;
  stopReason?: string | null;
  stopNote?: string | null;
}

export interface Clock {
  id: string;
  kind: string;
  name: string;
  legalRef: string;
  startedAt: string;
  durationMinutes: number;
  due: string;
  state: ClockState;
  /** Stopped: when (e.g. when the report was made), and whether that was within the deadline. */
  stoppedAt: string | null;
  stoppedInTime: boolean | null;
  stopReason: string | null;
  stopNote: string | null;
  /** Minutes until due (negative once overdue); null when stopped. */
  remainingMinutes: number | null;
}

export function dueOf(startedAt: Date, durationMinutes: number): Date {
  return new Date(startedAt.getTime() + durationMinutes * 60_000);
}

export function clockStateOf(c: Pick<StoredClock, 'startedAt' | 'durationMinutes' | 'stoppedAt'>, now: Date = new Date()): ClockState {
  if (c.stoppedAt) return 'stopped';
  return now.getTime() > dueOf(c.startedAt, c.durationMinutes).getTime() ? 'overdue' : 'running';
}

/** The clock as shown: name and legal reference from its kind, due time and state at `now`. */
export function describeClock(c: StoredClock, now: Date = new Date()): Clock {
  const def = CLOCK_KINDS[c.kind as ClockKind];
  const due = dueOf(c.startedAt, c.durationMinutes);
  const state = clockStateOf(c, now);
  return {
    id: c.id,
    kind: c.kind,
    name: def?.name ?? c.kind,
    legalRef: def?.legalRef ?? '',
    startedAt: c.startedAt.toISOString(),
    durationMinutes: c.durationMinutes,
    due: due.toISOString(),
    state,
    stoppedAt: c.stoppedAt?.toISOString() ?? null,
    stoppedInTime: c.stoppedAt ? c.stoppedAt.getTime() <= due.getTime() : null,
    stopReason: c.stopReason ?? null,
    stopNote: c.stopNote ?? null,
    remainingMinutes: state === 'stopped' ? null : Math.floor((due.getTime() - now.getTime()) / 60_000),
  };
}

/** A new clock of a kind, started at `startedAt` (when the matter became known). */
export function startClock(kind: ClockKind, startedAt: Date) {
  return { kind, startedAt, durationMinutes: CLOCK_KINDS[kind].durationMinutes, stoppedAt: null };
}
