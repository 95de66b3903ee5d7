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

async function start() {
  // A new data directory starts from the build's template (migrations applied) when there is one: creating a
  // cluster from nothing (initdb in WebAssembly) is most of a first start. See scripts/pglite-template.ts.
  const fresh = dataDir && !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const loadDataDir = fresh && template && fs.existsSync(template) ? new Blob([fs.readFileSync(template)]) : undefined;
  db = await PGlite.create(dataDir ? { dataDir, ...(loadDataDir ? { loadDataDir } : {}) } : {});
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
