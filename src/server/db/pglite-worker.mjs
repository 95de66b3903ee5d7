// Runs PGlite in its own thread behind a PostgreSQL wire-protocol socket, so the main thread
// talks `pg` to it exactly as to a real server and PGlite's work never blocks the event loop.
// Plain JavaScript on purpose: a worker must load without the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir } = workerData;
let db;
let server;

async function start() {
  db = await PGlite.create(dataDir ? { dataDir } : {});
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
