import { describe, expect, it } from 'vitest';
import { CLOCK_KINDS, clockStateOf, describeClock, dueOf, startClock } from './clocks.ts';

const start = new Date('2026-03-02T08:00:00Z');
const h = (n: number) => new Date(start.getTime() + n * 3_600_000);

describe('legal clocks', () => {
  it('the work-environment clock runs 24 hours from when the incident became known', () => {
    const c = startClock('work_environment_report', start);
    expect(c.durationMinutes).toBe(24 * 60);
    expect(dueOf(c.startedAt, c.durationMinutes).toISOString()).toBe('2026-03-03T08:00:00.000Z');
    const shown = describeClock({ id: 'x', ...c }, h(10));
    expect(shown).toMatchObject({ state: 'running', remainingMinutes: 14 * 60, legalRef: CLOCK_KINDS.work_environment_report.legalRef, stoppedAt: null, stoppedInTime: null });
  });

  it('is running up to the due time and overdue after it', () => {
    const c = { startedAt: start, durationMinutes: 60, stoppedAt: null };
    expect(clockStateOf(c, h(1))).toBe('running');
    expect(clockStateOf(c, new Date(h(1).getTime() + 1))).toBe('overdue');
    expect(describeClock({ id: 'x', kind: 'work_environment_report', ...c }, h(3)).remainingMinutes).toBe(-120);
  });

  it('a stopped clock records when, and whether that was in time, whatever the time now', () => {
    const early = describeClock({ id: 'a', kind: 'work_environment_report', startedAt: start, durationMinutes: 1440, stoppedAt: h(5), stopReason: 'reported' }, h(100));
    expect(early).toMatchObject({ state: 'stopped', stoppedInTime: true, stoppedAt: h(5).toISOString(), remainingMinutes: null, stopReason: 'reported' });
    const late = describeClock({ id: 'b', kind: 'work_environment_report', startedAt: start, durationMinutes: 1440, stoppedAt: h(30) }, h(31));
    expect(late).toMatchObject({ state: 'stopped', stoppedInTime: false });
  });

  it('other kinds share the logic (GDPR 72 hours)', () => {
    const c = startClock('gdpr_breach_report', start);
    expect(describeClock({ id: 'g', ...c }, h(71)).state).toBe('running');
    expect(describeClock({ id: 'g', ...c }, h(73)).state).toBe('overdue');
  });
});
