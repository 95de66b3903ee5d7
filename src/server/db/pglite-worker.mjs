// Runs PGlite in its own thread behind a PostgreSQL wire-protocol socket, so the main thread
// talks `pg` to it exactly as to a real server and PGlite's work never blocks the event loop.
// Plain JavaScript on purpose: a worker must load without the TypeScript loader.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir, template } = workerData;
let db;
let server;

/**
 * A new data directory starts from the build's template (dist/pglite-template/, migrations applied) when there
 * is one: creating a cluster from nothing (initdb in WebAssembly) is most of a first start. See
 * scripts/pglite-template.ts. PG_VERSION is copied last: a copy cut short leaves a directory without it, which
 * the next start copies over again.
 */
function copyTemplate() {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(template, dataDir, { recursive: true, filter: (from) => from !== path.join(template, 'PG_VERSION') });
  fs.copyFileSync(path.join(template, 'PG_VERSION'), path.join(dataDir, 'PG_VERSION'));
}

/**
 * Settings of the embedded database on top of PGlite's own start parameters (issue #12 item 5).
 * shared_buffers: PGlite's default of 128 MB lives in the WebAssembly heap, which never gives memory back, so
 * it became resident as the buffers filled; 32 MB holds the demo's lists, and pages beyond it come from
 * the operating system's file cache.
 */
const EMBEDDED_SETTINGS = ['shared_buffers=32MB'];

async function start() {
  const fresh = dataDir && !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fresh && template && fs.existsSync(path.join(template, 'PG_VERSION'))) copyTemplate();
  db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((setting) => ['-c', setting])],
  });
  // One connection: the client pool is sized 1, so statements never interleave between sessions.
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const [, port] = server.getServerConn().split(':');
  parentPort.postMessage({ type: 'ready', port: Number(port) });
}

parentPort.on('message', async (msg) => {
  if (msg?.type === 'close') {
    try {
      await server?.stop();
      if (db && !db.closed) {
        await db.exec('CHECKPOINT');
        await db.close();
      }
      parentPort.postMessage({ type: 'closed' });
    } catch (err) {
      parentPort.postMessage({ type: 'error', message: String(err?.message ?? err) });
    }
  }
});

start().catch((err) => parentPort.postMessage({ type: 'error', message: String(err?.message ?? err) }));
