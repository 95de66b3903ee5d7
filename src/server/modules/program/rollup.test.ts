import { describe, expect, it } from 'vitest';
import { actionHealth, combine, expectedProgress, rollUpActions, type RollupAction } from './rollup.ts';

const base: RollupAction = { id: 'a', parentActionId: null, status: 'in_progress', progress: 50, weight: 1, startDate: '2026-01-01', endDate: '2026-12-31' };

describe('roll-up', () => {
  it('expects progress in proportion to the time passed', () => {
    expect(expectedProgress(base, '2025-12-01')).toBe(0);
    expect(expectedProgress(base, '2027-01-01')).toBe(100);
    expect(expectedProgress(base, '2026-07-02')).toBe(50);
    expect(expectedProgress({ startDate: null, endDate: '2026-01-01' }, '2026-07-02')).toBeNull();
  });

  it('judges an action by its status and its pace', () => {
    expect(actionHealth({ ...base, status: 'done', progress: 10 }, '2026-07-02')).toBe('green');
    expect(actionHealth({ ...base, status: 'delayed', progress: 90 }, '2026-07-02')).toBe('red');
    expect(actionHealth({ ...base, status: 'cancelled' }, '2026-07-02')).toBe('none');
    expect(actionHealth({ ...base, progress: 45 }, '2026-07-02')).toBe('green');
    expect(actionHealth({ ...base, progress: 35 }, '2026-07-02')).toBe('amber');
    expect(actionHealth({ ...base, progress: 10 }, '2026-07-02')).toBe('red');
  });

  it('weights children and ignores those that no longer count', () => {
    expect(combine([])).toEqual({ progress: null, health: 'none' });
    const r = combine([
      { progress: 100, health: 'green', weight: 3 },
      { progress: 0, health: 'green', weight: 1 },
      { progress: 0, health: 'none', weight: 0 },
    ]);
    expect(r.progress).toBe(75);
    expect(r.health).toBe('green');
    expect(combine([{ progress: 10, health: 'red', weight: 1 }, { progress: 90, health: 'green', weight: 3 }]).health).toBe('red');
    expect(combine([{ progress: 10, health: 'red', weight: 1 }, { progress: 90, health: 'green', weight: 9 }]).health).toBe('amber');
  });

  it('rolls sub-actions up into their action, recursively', () => {
    const actions: RollupAction[] = [
      { ...base, id: 'p', progress: 0, startDate: null, endDate: null },
      { ...base, id: 'c1', parentActionId: 'p', progress: 100, weight: 1, startDate: null, endDate: null },
      { ...base, id: 'c2', parentActionId: 'p', progress: 20, weight: 1, startDate: null, endDate: null },
      { ...base, id: 'g1', parentActionId: 'c2', progress: 40, weight: 1, startDate: null, endDate: null },
      { ...base, id: 'g2', parentActionId: 'c2', progress: 0, weight: 1, status: 'cancelled', startDate: null, endDate: null },
    ];
    const r = rollUpActions(actions, '2026-07-02');
    expect(r.get('c2')?.progress).toBe(40);
    expect(r.get('p')?.progress).toBe(70);
    expect(r.get('g2')?.weight).toBe(0);
  });

  it('makes a delayed parent red whatever its sub-actions say', () => {
    const actions: RollupAction[] = [
      { ...base, id: 'p', status: 'delayed' },
      { ...base, id: 'c', parentActionId: 'p', status: 'done', progress: 100 },
    ];
    expect(rollUpActions(actions, '2026-07-02').get('p')?.health).toBe('red');
  });
});
