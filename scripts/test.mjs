#!/usr/bin/env node
// `npm test`: the README's test command and what .ci/run runs.
//  1. builds the web app (vite build) when it exists, so browser tests test what `npm start` serves;
//  2. runs every vitest test on the embedded PGlite;
//  3. runs them all again on PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
// Counts come from vitest's JSON report, not its console summary. Skipped tests, a run with zero tests,
// a suite that fails to load, an unreachable PostgreSQL or a failed build all count as failures.
// The last line printed is exactly `N passed, N failed`; the exit code is non-zero on any failure.
// Extra arguments go to vitest (`npm test -- src/server/modules/audit`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const extraArgs = process.argv.slice(2);
const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-test-'));

let passed = 0;
let failed = 0;
const problems = [];

function banner(text) {
  console.log(`\n${'='.repeat(78)}\n${text}\n${'='.repeat(78)}`);
}

/** Redacts a password in a connection URL before printing it. */
function safeUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(ogiltig URL)';
  }
}

// --- 1. Build ---------------------------------------------------------------------------------
if (fs.existsSync(path.join(root, 'vite.config.ts'))) {
  banner('Bygger webbappen (vite build)');
  const build = spawnSync(bin('vite'), ['build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    failed++;
    problems.push(`vite build misslyckades (exit ${build.status ?? build.signal})`);
  }
} else {
  banner('Ingen vite.config.ts: webbygget hoppas över (inga webbfiler att bygga)');
}

// --- 2. + 3. Test runs ------------------------------------------------------------------------
function runVitest(label, env) {
  banner(`Tester på ${label}`);
  const outFile = path.join(outDir, `${label.replace(/\W+/g, '-')}.json`);
  const res = spawnSync(
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile=${outFile}`, ...extraArgs],
    { cwd: root, stdio: 'inherit', env },
  );
  const run = { label, passed: 0, failed: 0, skipped: [], failedNames: [], total: 0 };
  let report;
  try {
    report = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  } catch {
    run.failed = 1;
    run.failedNames.push(`vitest skrev ingen JSON-rapport (exit ${res.status ?? res.signal})`);
    return run;
  }
  for (const file of report.testResults ?? []) {
    const rel = path.relative(root, file.name);
    const assertions = file.assertionResults ?? [];
    // A file that failed to load (syntax error, failing beforeAll, …) has no failed assertion of its own.
    if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed')) {
      run.failed++;
      run.failedNames.push(`${rel}: filen kunde inte köras – ${String(file.message ?? '').split('\n')[0]}`);
    }
    for (const a of assertions) {
      const name = `${rel} › ${a.fullName ?? a.title}`;
      run.total++;
      if (a.status === 'passed') run.passed++;
      else if (a.status === 'failed') {
        run.failed++;
        run.failedNames.push(name);
      } else run.skipped.push(`${name} (${a.status})`);
    }
  }
  if (run.total === 0) {
    run.failed++;
    run.failedNames.push('inga tester hittades (0 tester räknas som fel)');
  }
  if (res.status !== 0 && run.failed === 0 && run.skipped.length === 0) {
    // e.g. unhandled errors between tests: vitest fails the run although every test passed.
    run.failed++;
    run.failedNames.push(`vitest avslutades med kod ${res.status ?? res.signal} (ohanterat fel, se ovan)`);
  }
  return run;
}

function account(run) {
  passed += run.passed;
  failed += run.failed + run.skipped.length;
  for (const n of run.failedNames) problems.push(`[${run.label}] MISSLYCKADES: ${n}`);
  for (const n of run.skipped) problems.push(`[${run.label}] HOPPADES ÖVER (räknas som fel): ${n}`);
  console.log(
    `\n[${run.label}] ${run.passed} godkända, ${run.failed} misslyckade, ${run.skipped.length} överhoppade (av ${run.total})`,
  );
}

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message || err.code || String(err) : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

const baseEnv = { ...process.env };
delete baseEnv.TEST_DATABASE_URL;

const pgliteRun = runVitest('PGlite', baseEnv);
account(pgliteRun);

const unreachable = await postgresReachable(pgUrl);
if (unreachable) {
  banner(`PostgreSQL svarar inte på ${safeUrl(pgUrl)}`);
  // Every test that would have run there counts as failed: an unreachable database is never a pass.
  const missed = Math.max(1, pgliteRun.total);
  console.log(`Fel: ${unreachable}\nAlla ${missed} tester räknas som misslyckade på PostgreSQL. Starta PostgreSQL eller sätt TEST_DATABASE_URL.`);
  failed += missed;
  problems.push(`[PostgreSQL] databasen svarar inte (${safeUrl(pgUrl)}: ${unreachable}) – ${missed} tester räknade som misslyckade`);
} else {
  account(runVitest('PostgreSQL', { ...baseEnv, TEST_DATABASE_URL: pgUrl }));
}

fs.rmSync(outDir, { recursive: true, force: true });

banner('Sammanfattning');
if (problems.length) for (const p of problems) console.log(`  ${p}`);
else console.log('  Allt godkänt på båda databaserna.');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
