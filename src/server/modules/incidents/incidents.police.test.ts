import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../../test/helpers/db.ts';
import { silentLog, testConfig } from '../../../../test/helpers/jobs.ts';
import { createJobRunner } from '../../lib/job-runner.ts';
import { enqueueJob } from '../../lib/jobs.ts';
import type { Database } from '../../db/client.ts';
import { parseGps, parsePoliceDate, pointInPolygons, policeLink, policePollJob, policeRecurring, POLICE_POLL_JOB } from './incidents.police.ts';

describe('police events parsing', () => {
  it('reads the real datetime format (hour not zero-padded) and "lat,lon" positions', () => {
    expect(parsePoliceDate('2026-08-22 9:13:04 +02:00')?.toISOString()).toBe('2026-08-22T07:13:04.000Z');
    expect(parsePoliceDate('2018-12-28 14:32:20 +01:00')?.toISOString()).toBe('2018-12-28T13:32:20.000Z');
    expect(parsePoliceDate('2026-02-30 10:00:00 +01:00')).toBeNull();
    expect(parsePoliceDate('igår')).toBeNull();
    expect(parseGps('55.70466,13.191007')).toEqual({ lat: 55.70466, lon: 13.191007 });
    expect(parseGps('55.7;13.1')).toBeNull();
    expect(parseGps('95,13')).toBeNull();
  });

  it('keeps only http(s) links: paths on polisen.se are made absolute, script and data links are dropped', () => {
    expect(policeLink('/aktuellt/handelser/2026/augusti/22/stold/')).toBe('https://polisen.se/aktuellt/handelser/2026/augusti/22/stold/');
    expect(policeLink('https://polisen.se/aktuellt/x')).toBe('https://polisen.se/aktuellt/x');
    expect(policeLink('http://example.org/a?b=1')).toBe('http://example.org/a?b=1');
    for (const bad of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', '//angripare.example/x', '/\\angripare.example/x', 'aktuellt/x', 'mailto:a@b.se', 'ftp://polisen.se/x', '', '   ', null, undefined])
      expect(policeLink(bad), String(bad)).toBeNull();
  });

  it('tells Lund from its neighbours by the bundled boundary', () => {
    expect(pointInPolygons(13.191, 55.7047)).toBe(true); // Lund centre
    expect(pointInPolygons(13.45, 55.72)).toBe(true); // Dalby
    expect(pointInPolygons(13.003, 55.605)).toBe(false); // Malmö
    expect(pointInPolygons(13.06, 55.87)).toBe(false); // Landskrona direction
  });
});

describe('scheduled fetch', () => {
  let database: Database;
  let server: http.Server;
  let hits = 0;
  const events = [
    { id: 777001, datetime: '2026-08-22 9:13:04 +02:00', name: 'Brand, Lund', summary: 'Brand i container', url: '/a', type: 'Brand', location: { name: 'Lund', gps: '55.70466,13.191007' } },
    { id: 777002, datetime: '2026-08-22 9:13:04 +02:00', name: 'Stöld, Umeå', summary: '', url: '/b', type: 'Stöld', location: { name: 'Umeå', gps: '63.8,20.26' } },
  ];
  beforeAll(async () => {
    database = await createTestDatabase();
    server = http.createServer((req, res) => {
      hits++;
      expect(req.headers['user-agent']).toMatch(/Trygg/);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(events));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    server?.close();
    await database?.close();
  });

  it('is off unless POLICE_EVENTS_URL is configured', () => {
    expect(policeRecurring(testConfig())).toEqual([]);
    const on = policeRecurring(testConfig({ POLICE_EVENTS_URL: 'https://polisen.se/api/events', POLICE_EVENTS_INTERVAL_MINUTES: '15' }));
    expect(on).toEqual([{ type: POLICE_POLL_JOB, everyMs: 15 * 60_000 }]);
  });

  it('fetches the configured URL, keeps the municipality and dedupes on the next run', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`;
    const config = testConfig({ POLICE_EVENTS_URL: url });
    const runner = createJobRunner({ db: database.db, config, log: silentLog, handlers: { [policePollJob.type]: policePollJob.handler }, recurring: [] });
    await enqueueJob(database.db, { type: POLICE_POLL_JOB });
    expect(await runner.runDue()).toBe(1);
    await enqueueJob(database.db, { type: POLICE_POLL_JOB });
    expect(await runner.runDue()).toBe(1);
    expect(hits).toBe(2);
    const jobs = await database.db.execute<{ status: string; result: { imported: number; duplicates: number; outsideMunicipality: number } }>(sql`select status, result from jobs where type = ${POLICE_POLL_JOB} order by id`);
    expect(jobs.rows.map((j) => j.status)).toEqual(['done', 'done']);
    expect(jobs.rows[0].result).toMatchObject({ imported: 1, outsideMunicipality: 1 });
    expect(jobs.rows[1].result).toMatchObject({ imported: 0, duplicates: 1 });
    const stored = await database.db.execute<{ id: string }>(sql`select id from police_events`);
    expect(stored.rows.map((r) => Number(r.id))).toEqual([777001]);
  });
});
