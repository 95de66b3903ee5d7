// The real server process: health endpoints, JSON logs with request ids, the data-directory lock,
// graceful shutdown that keeps data, and configuration errors at boot.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/server/seed/seed.ts';
import { createToolDb, runNode, startServer, waitFor, type RunningServer, type ToolDb } from './helpers.ts';

describe('the running server', { timeout: 180_000 }, () => {
  let db: ToolDb;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    db = await createToolDb();
    server = await startServer(db.env);
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db?.cleanup();
  });

  it('prints the URL it actually listens on when PORT=0', () => {
    expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server!.url).not.toMatch(/:0$/);
  });

  it('answers /healthz and /readyz, naming the database kind', async () => {
    const health = await fetch(`${server!.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server!.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: db.kind });
  });

  it('echoes a given x-request-id and logs it on JSON lines', async () => {
    const id = `ops-test-${Date.now()}`;
    const res = await fetch(`${server!.url}/healthz`, { headers: { 'x-request-id': id } });
    expect(res.headers.get('x-request-id')).toBe(id);
    const lines = await waitFor(() => {
      const l = server!.logLines().filter((x) => x.reqId === id);
      return l.length >= 2 ? l : undefined;
    });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    for (const l of lines) expect(typeof l.level).toBe('number');
  });

  it('assigns a request id when none (or a malformed one) is given, also on error responses', async () => {
    const plain = await fetch(`${server!.url}/healthz`);
    const assigned = plain.headers.get('x-request-id');
    expect(assigned).toMatch(/^[0-9a-f-]{36}$/);

    const bad = await fetch(`${server!.url}/api/does-not-exist`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(bad.status).toBe(404);
    const header = bad.headers.get('x-request-id');
    expect(header).not.toBe('bad id with spaces');
    expect(header).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await bad.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.requestId).toBe(header);
    await waitFor(() => server!.logLines().some((l) => l.reqId === header && l.msg === 'request completed'));
  });
});

describe('the data-directory lock (embedded database)', { timeout: 180_000 }, () => {
  it('a second instance on the same DATA_DIR exits non-zero with a clear Swedish message; the first keeps running', async () => {
    const db = await createToolDb('pglite');
    const first = await startServer(db.env);
    try {
      const second = await runNode('src/server/main.ts', [], { ...db.env, PORT: '0', HOST: '127.0.0.1' });
      expect(second.code).not.toBe(0);
      expect(second.stderr).toContain('används redan av en annan Trygg-process');
      expect(second.stderr).toContain(`pid ${first.child.pid}`);
      expect(second.stderr).toContain(path.join(db.dataDir, 'pglite'));
      expect(second.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const health = await fetch(`${first.url}/readyz`);
      expect(health.status).toBe(200);
    } finally {
      await first.stop('SIGKILL');
      await db.cleanup();
    }
  });
});

describe('graceful shutdown', { timeout: 180_000 }, () => {
  it('SIGTERM closes the database and exits 0; a restart on the same data keeps it', async () => {
    const db = await createToolDb();
    try {
      const first = await startServer(db.env);
      const admin = DEMO_USERS[0];
      const signIn = await fetch(`${first.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: admin.email, password: DEMO_PASSWORD }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      const auditBefore = (await (await fetch(`${first.url}/api/audit?limit=1`, { headers: { cookie } })).json()) as { total: number };
      expect(auditBefore.total).toBeGreaterThan(0);

      const finished = await first.stop('SIGTERM');
      expect(finished.code).toBe(0);
      expect(finished.stdout).toContain('"msg":"shutting down"');
      if (db.kind === 'pglite') expect(fs.existsSync(path.join(db.dataDir, 'pglite.lock'))).toBe(false);

      const second = await startServer(db.env);
      try {
        // Same session (a row written before the shutdown) still signs us in; nothing was re-seeded.
        const me = await fetch(`${second.url}/api/auth/me`, { headers: { cookie } });
        expect(me.status).toBe(200);
        expect(((await me.json()) as { user: { email: string } }).user.email).toBe(admin.email);
        const auditAfter = (await (await fetch(`${second.url}/api/audit?limit=1`, { headers: { cookie } })).json()) as { total: number };
        expect(auditAfter.total).toBe(auditBefore.total);
        const verify = (await (await fetch(`${second.url}/api/audit/verify`, { headers: { cookie } })).json()) as { ok: boolean };
        expect(verify.ok).toBe(true);
        expect(second.output().stdout).toContain('Trygg körs på');
        expect((await second.stop('SIGINT')).code).toBe(0);
      } finally {
        await second.stop('SIGKILL');
      }
    } finally {
      await db.cleanup();
    }
  });
});

describe('configuration is validated at boot', { timeout: 180_000 }, () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['PORT=abc', { PORT: 'abc' }, /PORT: måste vara ett tal/],
    ['PORT=70000', { PORT: '70000' }, /PORT: får vara högst 65535/],
    ['SESSION_IDLE_MINUTES=-1', { SESSION_IDLE_MINUTES: '-1' }, /SESSION_IDLE_MINUTES: måste vara minst 1/],
    ['DATABASE_URL=not-a-url', { DATABASE_URL: 'not-a-url' }, /DATABASE_URL: måste börja med postgres:\/\//],
    ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud' }, /LOG_LEVEL: måste vara ett av: fatal, error/],
    ['PUBLIC_URL=trygg', { PUBLIC_URL: 'trygg' }, /PUBLIC_URL: måste vara en fullständig URL/],
  ];
  it.each(cases)('%s → exit non-zero with a Swedish message naming the variable', async (_label, env, message) => {
    const dataDir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'trygg-cfg-'));
    try {
      const run = await runNode('src/server/main.ts', [], { DATA_DIR: dataDir, PORT: '0', ...env });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('Ogiltig konfiguration');
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      // It stopped before touching the data directory.
      expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names every bad variable at once and never echoes a database password', async () => {
    const run = await runNode('src/server/main.ts', [], {
      PORT: 'abc',
      SESSION_IDLE_MINUTES: '-1',
      DATABASE_URL: 'mysql://trygg:hemligt@db/trygg',
    });
    expect(run.code).not.toBe(0);
    for (const name of ['PORT', 'SESSION_IDLE_MINUTES', 'DATABASE_URL']) expect(run.stderr).toContain(`${name}:`);
    expect(run.stderr).not.toContain('hemligt');
  });

  it('an unreachable DATABASE_URL exits non-zero with a Swedish message', async () => {
    const run = await runNode('src/server/main.ts', [], { DATABASE_URL: 'postgres://trygg@127.0.0.1:1/trygg', PORT: '0' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Kunde inte ansluta till PostgreSQL i DATABASE_URL');
  });
});
