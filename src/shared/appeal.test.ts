import { describe, expect, it } from 'vitest';
import { appealDaysLeft, appealEndsOn, easterSunday, isWorkingDay } from './appeal.ts';

describe('the appeal clock (kommunallagen 13 kap. 5 §, lag 1930:173)', () => {
  it('finds Easter', () => {
    expect(easterSunday(2020)).toBe('2020-04-12');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2019)).toBe('2019-04-21');
  });
  it('ends three weeks after the day of posting, on the same weekday', () => {
    expect(appealEndsOn('2020-02-10')).toBe('2020-03-02'); // Monday → Monday
    expect(appealEndsOn('2026-11-17')).toBe('2026-12-08');
  });
  it('moves to the next working day past weekends, holidays and the eves the law counts', () => {
    expect(appealEndsOn('2020-02-08')).toBe('2020-03-02'); // a Saturday posting ends on Saturday → Monday
    expect(appealEndsOn('2020-03-20')).toBe('2020-04-14'); // Friday 10 April is Good Friday, then Easter → Tuesday
    expect(appealEndsOn('2026-12-03')).toBe('2026-12-28'); // Thursday 24 Dec (julafton), 25, 26–27 → Monday 28
    expect(appealEndsOn('2026-05-29')).toBe('2026-06-22'); // Friday 19 June 2026 is midsommarafton → Monday
    expect(isWorkingDay('2026-06-19')).toBe(false);
  });
  it('counts the days left', () => {
    expect(appealDaysLeft('2020-03-02', '2020-03-02')).toBe(0);
    expect(appealDaysLeft('2020-03-02', '2020-02-10')).toBe(21);
    expect(appealDaysLeft('2020-03-02', '2020-03-03')).toBe(-1);
  });
});
