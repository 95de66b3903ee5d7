// A small HTTP load generator for the benchmarks (no package): `concurrency` clients on keep-alive connections,
// each sending the next GET as soon as the previous answer has been read, for `durationMs`. Run as a child
// process (bench/load.bench.ts forks it), so that its CPU and memory are not the server's. It receives
// { url, headers, concurrency, durationMs } over IPC and answers { requests, errors, rps, p50, p95, p99 }.
import http from 'node:http';

function run({ url, headers = {}, concurrency = 10, durationMs = 5000 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const latencies = [];
  let errors = 0;
  let firstError;
  const deadline = performance.now() + durationMs;
  const once = () =>
    new Promise((resolve) => {
      const start = performance.now();
      const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', headers, agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - start);
          else {
            errors++;
            firstError ??= `HTTP ${res.statusCode}`;
          }
          resolve();
        });
      });
      req.on('error', (err) => {
        errors++;
        firstError ??= err.message;
        resolve();
      });
      req.end();
    });
  const client = async () => {
    while (performance.now() < deadline) await once();
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return Promise.all(Array.from({ length: concurrency }, client)).then(() => {
    const elapsed = performance.now() - t0;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    const cpu = process.cpuUsage(cpu0);
    return { clientCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length), requests: latencies.length, errors, firstError, rps: (latencies.length / elapsed) * 1000, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
  });
}

process.on('message', async (msg) => {
  if (msg === 'exit') process.exit(0);
  process.send(await run(msg));
});
