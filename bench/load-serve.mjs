// Preloaded (`node --import`) into Trygg's built server when bench/load.bench.ts runs it in a process of its own
// (on PostgreSQL): counts the statements the server's pg pools send and answers the benchmark's questions over IPC,
// with the same protocol as the bare server (bench/load-bare.mjs):
//   { type: 'usage' } → { cpuMs, statements, rssMb }   (this process's CPU time and statements so far, its RSS now)
// Nothing else of the server is touched: it is dist/server/main.mjs as `npm start` runs it.
import pg from 'pg';

let statements = 0;
const query = pg.Pool.prototype.query;
pg.Pool.prototype.query = function (...args) {
  statements++;
  return query.apply(this, args);
};

process.on('message', (msg) => {
  if (msg?.type !== 'usage') return;
  const u = process.cpuUsage();
  process.send({ cpuMs: (u.user + u.system) / 1000, statements, rssMb: process.memoryUsage.rss() / 1024 / 1024 });
});
// The IPC channel alone must not keep the server alive once it has been told to stop.
process.channel?.unref();
