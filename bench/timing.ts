import { performance } from 'node:perf_hooks';

/** The median of `runs` timed calls of `fn` in milliseconds, after `warmUp` untimed calls (default one). */
export async function median(fn: () => Promise<unknown>, runs: number, warmUp = 1): Promise<number> {
  for (let i = 0; i < warmUp; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
