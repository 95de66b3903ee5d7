import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { createOrganisation, createUser } from '../../../test/helpers/factories.ts';
import { testConfig } from '../../../test/helpers/jobs.ts';
import { buildApp } from '../app.ts';
import type { Database } from '../db/client.ts';
import { defineExportKind, EXPORT_JOB } from './exports.ts';
import { defineJob } from './jobs.ts';
import { checkContributions, collectContributions, ModuleBootError, type ModuleDefinition } from './module.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());
beforeEach(async () => {
  await database.db.execute(sql`delete from jobs; delete from export_files`);
});

const noRoutes = () => {};
const job = (type: string) => defineJob(type, () => null);
const kind = (name: string) =>
  defineExportKind(name, { params: z.object({}), formats: ['csv'], authorize: async () => {}, build: async () => ({ filename: 'x.csv', body: Buffer.from('') }) });
const boot = () => buildApp({ config: testConfig({ FILES_DIR: '/tmp/trygg-module-test' }), database });

describe('the boot loop (collectContributions, checkContributions)', () => {
  it('collects every module’s jobs, export kinds and recurring jobs into one map each', () => {
    const modules: ModuleDefinition[] = [
      { name: 'a', routes: noRoutes, jobs: [job('a.one'), job(EXPORT_JOB)], recurring: [{ type: 'a.one', everyMs: 1000 }] },
      { name: 'b', routes: noRoutes, jobs: [job('b.one')], exportKinds: [kind('b-list')] },
    ];
    const c = collectContributions(modules);
    expect([...c.jobHandlers.keys()]).toEqual(['a.one', EXPORT_JOB, 'b.one']);
    expect([...c.exportKinds.keys()]).toEqual(['b-list']);
    expect(c.recurring).toEqual([{ type: 'a.one', everyMs: 1000 }]);
  });

  it('refuses a job type or export kind declared by two modules, naming both', () => {
    expect(() => collectContributions([{ name: 'a', routes: noRoutes, jobs: [job('x')] }, { name: 'b', routes: noRoutes, jobs: [job('x')] }])).toThrow(
      /Job type "x" is declared by both module a and module b/,
    );
    expect(() => collectContributions([{ name: 'a', routes: noRoutes, exportKinds: [kind('k')] }, { name: 'b', routes: noRoutes, exportKinds: [kind('k')] }])).toThrow(
      /Export kind "k" is declared by both module a and module b/,
    );
  });

  it('stops on a recurring job without a handler, and on export kinds without the export job', async () => {
    const recurringOnly = collectContributions([{ name: 'a', routes: noRoutes, recurring: [{ type: 'a.scan', everyMs: 1000 }] }]);
    await expect(checkContributions(recurringOnly, database.db)).rejects.toThrow(/recurring job type "a\.scan" has no handler/);
    const kindsOnly = collectContributions([{ name: 'a', routes: noRoutes, exportKinds: [kind('k')] }]);
    await expect(checkContributions(kindsOnly, database.db)).rejects.toThrow(new RegExp(`no module handles the job type "${EXPORT_JOB}"`));
    const complete = collectContributions([{ name: 'a', routes: noRoutes, jobs: [job('a.scan'), job(EXPORT_JOB)], recurring: [{ type: 'a.scan', everyMs: 1000 }], exportKinds: [kind('k')] }]);
    await expect(checkContributions(complete, database.db)).resolves.toBeUndefined();
  });

  it('the app does not start while the queue holds a job type no module handles, and says which', async () => {
    await database.db.execute(sql`insert into jobs (type, payload) values ('program.gone', '{}'::jsonb)`);
    const err = await boot().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModuleBootError);
    expect((err as Error).message).toMatch(/job type "program\.gone" has 1 waiting job\(s\) in the queue but no handler/);
    // Finished jobs of an old type do not matter.
    await database.db.execute(sql`update jobs set status = 'done', finished_at = now()`);
    const app = await boot();
    await app.close();
  });

  it('the app does not start while a requested file waits for an export kind no module declares', async () => {
    const org = await createOrganisation(database);
    const user = await createUser(database, { homeOrganisationId: org.id });
    await database.db.execute(sql`insert into export_files (kind, format, params, requested_by) values ('gone-list', 'csv', '{}'::jsonb, ${user.id})`);
    await expect(boot()).rejects.toThrow(/export kind "gone-list" has 1 waiting file\(s\) but no module declares it/);
  });

  it('the real modules declare a handler for every job type they enqueue on a schedule and every export kind', async () => {
    const app = await boot();
    try {
      const c = app.contributions;
      for (const r of c.recurring) expect(c.jobHandlers.has(r.type), r.type).toBe(true);
      expect([...c.jobHandlers.keys()]).toEqual(expect.arrayContaining(['mail.send', 'maintenance.purge', EXPORT_JOB, 'followup.remind', 'remiss.remind', 'documents.review-scan']));
      expect(c.exportKinds.size).toBeGreaterThanOrEqual(6);
    } finally {
      await app.close();
    }
  });
});

describe('module boundaries (static)', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
    });
  const importsOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gms)].map((m) => m[1]);

  it('lib/ imports no module', () => {
    // The scan sees imports (lib/exports.ts imports lib/jobs.ts), so an empty result means something.
    expect(importsOf(path.join(root, 'lib', 'exports.ts'))).toContain('./jobs.ts');
    const offending = sources(path.join(root, 'lib')).flatMap((f) =>
      importsOf(f)
        .filter((spec) => path.resolve(path.dirname(f), spec).startsWith(path.join(root, 'modules') + path.sep))
        .map((spec) => `${path.relative(root, f)} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('a module uses another module only through its index.ts', () => {
    const modules = path.join(root, 'modules');
    const offending = sources(modules).flatMap((f) => {
      const own = path.relative(modules, f).split(path.sep)[0];
      return importsOf(f)
        .map((spec) => path.resolve(path.dirname(f), spec))
        .filter((target) => target.startsWith(modules + path.sep))
        .filter((target) => {
          const [other, ...rest] = path.relative(modules, target).split(path.sep);
          return other !== own && rest.join('/') !== 'index.ts';
        })
        .map((target) => `${path.relative(root, f)} → ${path.relative(root, target)}`);
    });
    expect(offending).toEqual([]);
  });
});
