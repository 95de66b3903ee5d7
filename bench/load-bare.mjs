// The bare Fastify + pg server of bench/load.bench.ts in a process of its own (on PostgreSQL): a Fastify without
// plugins and a pg pool of the app's size, whose routes run the statements captured from Trygg's endpoints and send
// the rows as JSON. In its own process it shares neither Trygg's heap nor the promise hooks Trygg's
// AsyncLocalStorage turns on, as a bare server would in production. IPC (advanced serialisation, so that dates and
// arrays in the statements' values arrive as they were):
//   { type: 'start', databaseUrl, poolSize, plans: { name: [{ text, values }] } } → { port }
//   { type: 'usage' } → { cpuMs, statements }   (this process's CPU time so far, statements sent so far)
//   { type: 'exit' }
import Fastify from 'fastify';
import pg from 'pg';

let pool;
let app;
let statements = 0;

process.on('message', async (msg) => {
  if (msg.type === 'start') {
    pool = new pg.Pool({ connectionString: msg.databaseUrl, max: msg.poolSize });
    app = Fastify({ logger: false });
    for (const [name, plan] of Object.entries(msg.plans)) {
      app.get(`/bare/${name}`, async () => {
        let rows = [];
        for (const q of plan) {
          statements++;
          rows = (await pool.query(q.text, q.values)).rows;
        }
        return { items: rows, total: rows[0]?.total ?? rows.length };
      });
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    process.send({ port: app.server.address().port });
  } else if (msg.type === 'usage') {
    const u = process.cpuUsage();
    process.send({ cpuMs: (u.user + u.system) / 1000, statements });
  } else if (msg.type === 'exit') {
    await app?.close();
    await pool?.end();
    process.exit(0);
  }
});
