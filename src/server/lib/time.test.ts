import { describe, expect, it } from 'vitest';
import { addDays, currentWeek, lastFullWeek, mondayOfWeek, shiftWeek, stockholmDate, todayInStockholm, weekBounds, weekOfDate } from './time.ts';

describe('lib/time: today and weeks in Europe/Stockholm', () => {
  it('after midnight Swedish time it is already the next day (UTC still says the day before)', () => {
    // 2026-03-01 23:30 UTC is 2026-03-02 00:30 in Stockholm (CET, UTC+1).
    const at = new Date('2026-03-01T23:30:00Z');
    expect(at.toISOString().slice(0, 10)).toBe('2026-03-01');
    expect(todayInStockholm(at)).toBe('2026-03-02');
    // An hour earlier it is still the 1st in Sweden too.
    expect(todayInStockholm(new Date('2026-03-01T22:30:00Z'))).toBe('2026-03-01');
  });

  it('changes day on the millisecond of midnight, though it keeps its last answer (asked again within the second, or in turn)', () => {
    const before = new Date('2026-03-01T22:59:59.999Z');
    const midnight = new Date('2026-03-01T23:00:00.000Z');
    for (let i = 0; i < 2; i++) {
      expect(todayInStockholm(before)).toBe('2026-03-01');
      expect(todayInStockholm(before)).toBe('2026-03-01');
      expect(todayInStockholm(midnight)).toBe('2026-03-02');
      expect(todayInStockholm(new Date('2026-03-01T23:00:00.999Z'))).toBe('2026-03-02');
    }
    expect(() => todayInStockholm(new Date('x'))).toThrow(RangeError);
  });

  it('in summer time the day changes at 22:00 UTC', () => {
    // 2026-07-14 22:30 UTC is 2026-07-15 00:30 in Stockholm (CEST, UTC+2); 21:30 UTC is still the 14th.
    expect(todayInStockholm(new Date('2026-07-14T22:30:00Z'))).toBe('2026-07-15');
    expect(todayInStockholm(new Date('2026-07-14T21:30:00Z'))).toBe('2026-07-14');
    // Around the switch to summer time (2026-03-29 02:00 CET → 03:00 CEST).
    expect(todayInStockholm(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
    expect(todayInStockholm(new Date('2026-03-29T21:59:00Z'))).toBe('2026-03-29');
    expect(todayInStockholm(new Date('2026-03-29T22:00:00Z'))).toBe('2026-03-30');
    expect(stockholmDate(new Date('2026-10-24T22:30:00Z'))).toBe('2026-10-25');
  });

  it('the current week turns on Monday 00:00 Swedish time, not UTC', () => {
    // Sunday 2026-03-01 23:30 UTC is Monday 2026-03-02 in Sweden: week 10, while UTC is still in week 9.
    const at = new Date('2026-03-01T23:30:00Z');
    expect(weekOfDate(at.toISOString().slice(0, 10))).toBe('2026-W09');
    expect(currentWeek(at)).toBe('2026-W10');
    expect(lastFullWeek(at)).toBe('2026-W09');
    // Summer: Sunday 2026-07-19 22:30 UTC is Monday 2026-07-20 00:30 in Sweden.
    expect(currentWeek(new Date('2026-07-19T22:30:00Z'))).toBe('2026-W30');
    expect(currentWeek(new Date('2026-07-19T21:30:00Z'))).toBe('2026-W29');
  });

  it('computes ISO week boundaries, across years and 53-week years', () => {
    expect(weekBounds('2026-W10')).toEqual({ monday: '2026-03-02', sunday: '2026-03-08', nextMonday: '2026-03-09' });
    expect(mondayOfWeek('2026-W01')).toBe('2025-12-29');
    expect(weekOfDate('2027-01-01')).toBe('2026-W53');
    expect(mondayOfWeek('2026-W53')).toBe('2026-12-28');
    expect(mondayOfWeek('2025-W53')).toBeNull();
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2026-W01', -1)).toBe('2025-W52');
    expect(() => weekBounds('2026-W99')).toThrow(RangeError);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-29', -1)).toBe('2026-03-28');
  });
});
