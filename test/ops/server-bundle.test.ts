// The server as `npm start` runs it (issue #12 item 5): src/server/main.ts bundled by scripts/build-server.ts
// and run by plain node with the start script's V8 flags — no TypeScript loader. Built here into its own
// directory under dist/ (the bundle resolves its paths from two levels below the root, as dist/server/ does).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, startArgs } from '../../scripts/build-server.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/server/seed/seed.ts';
import { createToolDb, root, startServer, type RunningServer, type ToolDb } from './helpers.ts';

describe('the built server (npm start)', { timeout: 240_000 }, () => {
  const dir = path.join(root, 'dist', `test-server-${randomBytes(4).toString('hex')}`);
  const bundle = path.join(dir, 'main.mjs');
  let db: ToolDb;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    await buildServer(bundle);
    db = await createToolDb('pglite');
    server = await startServer(db.env, 180_000, startArgs(bundle));
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the bundle with plain node and the V8 flags of the start script', () => {
    const args = startArgs(bundle);
    expect(args).toContain('--max-semi-space-size=8');
    expect(args).not.toContain('tsx');
    expect(args.at(-1)).toBe(bundle);
    const source = fs.readFileSync(bundle, 'utf8');
    expect(source).not.toMatch(/from ["']\.\.?\//); // one file: nothing of src/ imported at run time ...
    expect(source).toContain('"../../src/server/db/client.ts"'); // ... but paths resolved from the source files
  });

  it('opens the embedded database, migrates, seeds the demo and answers the API', async () => {
    expect(server!.output().stdout).toContain(`inbyggd PGlite i ${path.join(db.dataDir, 'pglite')}`);
    const ready = await fetch(`${server!.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'pglite' });
    const signIn = await fetch(`${server!.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server!.url },
      body: JSON.stringify({ email: DEMO_USERS[0].email, password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const incidents = await fetch(`${server!.url}/api/incidents?limit=50`, { headers: { cookie } });
    expect(incidents.status).toBe(200);
    const body = (await incidents.json()) as { items: unknown[] };
    expect(body.items.length).toBe(50);
  });

  it('serves the UI from dist/web when it is built', async () => {
    if (!fs.existsSync(path.join(root, 'dist', 'web', 'index.html'))) return; // `npm test` builds it first
    const page = await fetch(`${server!.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});
