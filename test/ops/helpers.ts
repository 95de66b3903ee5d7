// Helpers for the operations tests: real processes (the server, the CLI tools) against a real
// database — a PGlite data directory by default, a fresh PostgreSQL database when TEST_DATABASE_URL is set.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/server/db/client.ts';
import { runMigrations } from '../../src/server/db/migrate.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ToolDb {
  kind: 'pglite' | 'postgres';
  /** Environment that points the app and the tools at this database. */
  env: Record<string, string>;
  dataDir: string;
  /** Opens (and migrates) the database in this process; close it before a tool needs the PGlite dir. */
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

/** A persistent database for a child process: PGlite in a temp DATA_DIR, or a new PostgreSQL database. */
export async function createToolDb(kind: 'pglite' | 'postgres' | 'auto' = 'auto'): Promise<ToolDb> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const chosen = kind === 'auto' ? (serverUrl ? 'postgres' : 'pglite') : kind;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-ops-'));
  if (chosen === 'pglite') {
    return {
      kind: 'pglite',
      env: { DATA_DIR: dataDir },
      dataDir,
      async open() {
        const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
        await runMigrations(database);
        return database;
      },
      async cleanup() {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `trygg_ops_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    dataDir,
    async open() {
      const database = await openDatabase({ databaseUrl: url.toString() });
      await runMigrations(database);
      return database;
    },
    async cleanup() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The environment of a child process: this one's, minus anything that would pick another database. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'DATA_DIR', 'PORT', 'PUBLIC_URL', 'NODE_OPTIONS']) delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('VITEST')) delete env[k];
  return { ...env, NODE_ENV: 'test', ...extra };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx <script> ...args` to the end. */
export function runNode(script: string, args: string[], env: Record<string, string>, timeoutMs = 90_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // 'exit' can come before the pipes are drained.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  /** Everything written so far. */
  output(): { stdout: string; stderr: string };
  /** Parsed JSON log lines on stdout. */
  logLines(): Record<string, unknown>[];
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Finished>;
  exited: Promise<Finished>;
}

/**
 * Starts the real server process on a free port: `node --import tsx src/server/main.ts`, or node with `args`
 * (the built server, test/ops/server-bundle.test.ts).
 */
export async function startServer(env: Record<string, string>, timeoutMs = 120_000, args = ['--import', 'tsx', 'src/server/main.ts']): Promise<RunningServer> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: childEnv({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', JOBS_POLL_MS: '1000', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<Finished>((resolve) =>
    child.on('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stdout, stderr }))),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    const check = () => {
      const m = /Trygg körs på (http:\/\/localhost:\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    void exited.then((f) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${f.code}) before it was ready\n${f.stdout}\n${f.stderr}`));
    });
  });
  return {
    url,
    child,
    exited,
    output: () => ({ stdout, stderr }),
    logLines: () =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return {};
          }
        }),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until `fn` returns a truthy value (polling), or fails after `ms`. */
export async function waitFor<T>(fn: () => T | Promise<T>, ms = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
