import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { once } from 'node:events';
import type pg from 'pg';
import type { Database } from './client.ts';
import { runMigrations } from './migrate.ts';

/**
 * Logical backup and restore of every table in the `public` schema, the same on the embedded PGlite
 * and on PostgreSQL (so a backup from one restores into the other).
 *
 * File format (gzip'd, one JSON document per line):
 *   {"format":"trygg-backup","version":1,"createdAt":…,"source":"pglite"|"postgres","migrations":[hash…],"tables":[name…]}
 *   {"table":"organisations","rows":N}          ← followed by one line holding a JSON array of N rows
 *   [ {…row_to_json…}, … ]                      ← rows as PostgreSQL's own JSON (never re-parsed in JS:
 *   …                                              bigint and numeric keep every digit)
 *   {"end":true,"counts":{"organisations":N,…}} ← a file without it is truncated and is refused
 *
 * Rows are read inside one REPEATABLE READ transaction (a consistent snapshot) and written back inside
 * one transaction (truncate, insert, reset sequences), so a failed restore leaves the old data.
 */

export const BACKUP_FORMAT = 'trygg-backup';
const CHUNK = 1000;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  source: Database['kind'];
  migrations: string[];
  tables: string[];
}

export class BackupError extends Error {}

type Client = pg.PoolClient;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Tables that triggers derive from other tables (the organisation tree's version, the incidents' counts): not backed up, not restored,
 * not counted as data. Restoring the tables they come from brings them up to date through the same triggers.
 */
export const DERIVED_TABLES = new Set(['org_tree_version', 'incident_counts', 'incident_aggregates', 'assignment_counts', 'document_counts', 'document_status_counts', 'case_counts', 'police_event_counts', 'incident_reporter_counts']);

async function appTables(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.name).filter((name) => !DERIVED_TABLES.has(name));
}

async function appliedMigrations(client: Client): Promise<string[]> {
  const exists = await client.query(`select to_regclass('drizzle.__drizzle_migrations') as t`);
  if (!exists.rows[0].t) return [];
  const { rows } = await client.query<{ hash: string }>(`select hash from drizzle.__drizzle_migrations order by id`);
  return rows.map((r) => r.hash);
}

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
async function insertOrder(client: Client, tables: string[]): Promise<{ order: string[]; selfReferencing: Set<string> }> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid
       join pg_class p on p.oid = k.confrelid
       join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = 'public'`,
  );
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  const selfReferencing = new Set<string>();
  for (const { child, parent } of rows) {
    if (child === parent) selfReferencing.add(child);
    else deps.get(child)?.add(parent);
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string) => {
    if (state.get(t) === 'done') return;
    if (state.get(t) === 'visiting') throw new BackupError(`Tabellerna har cirkulära främmande nycklar (${t}); kan inte återställa.`);
    state.set(t, 'visiting');
    for (const p of deps.get(t) ?? []) if (deps.has(p)) visit(p);
    state.set(t, 'done');
    order.push(t);
  };
  for (const t of tables) visit(t);
  return { order, selfReferencing };
}

async function writeLine(out: NodeJS.WritableStream, line: string) {
  if (!out.write(line + '\n')) await once(out, 'drain');
}

/** Writes a backup of the whole database to `file` (atomically: a temporary file renamed at the end). */
export async function createBackup(database: Database, file: string): Promise<{ file: string; counts: Record<string, number> }> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const gzip = zlib.createGzip();
  const sink = fs.createWriteStream(tmp);
  gzip.pipe(sink);
  const finished = once(sink, 'close');
  const client = await database.pool.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query('begin isolation level repeatable read read only');
    const tables = await appTables(client);
    if (tables.length === 0) throw new BackupError('Databasen har inga tabeller – finns det någon Trygg-databas här?');
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      source: database.kind,
      migrations: await appliedMigrations(client),
      tables,
    };
    await writeLine(gzip, JSON.stringify(header));
    for (const table of tables) {
      await client.query(`declare backup_rows no scroll cursor for select row_to_json(t)::text as j from ${ident(table)} t`);
      counts[table] = 0;
      for (;;) {
        const { rows } = await client.query<{ j: string }>(`fetch ${CHUNK} from backup_rows`);
        if (rows.length === 0) break;
        counts[table] += rows.length;
        await writeLine(gzip, JSON.stringify({ table, rows: rows.length }));
        await writeLine(gzip, `[${rows.map((r) => r.j).join(',')}]`);
      }
      await client.query('close backup_rows');
    }
    await client.query('commit');
    await writeLine(gzip, JSON.stringify({ end: true, counts }));
    gzip.end();
    await finished;
    fs.renameSync(tmp, file);
    return { file, counts };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    gzip.destroy();
    sink.destroy();
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    client.release();
  }
}

/** Reads and checks a backup file; returns its header and the rows of each table as raw JSON texts. */
export async function readBackup(file: string): Promise<{ header: BackupHeader; chunks: Map<string, string[]>; counts: Record<string, number> }> {
  if (!fs.existsSync(file)) throw new BackupError(`Filen ${file} finns inte.`);
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  let header: BackupHeader | undefined;
  const chunks = new Map<string, string[]>();
  let pending: { table: string; rows: number } | undefined;
  let end: { counts: Record<string, number> } | undefined;
  try {
    for await (const line of lines) {
      if (!header) {
        const h = JSON.parse(line) as BackupHeader;
        if (h.format !== BACKUP_FORMAT || h.version !== 1) throw new BackupError(`${file} är ingen Trygg-säkerhetskopia (okänt format).`);
        header = h;
        for (const t of h.tables) chunks.set(t, []);
        continue;
      }
      if (end) throw new BackupError(`${file} har data efter slutmarkeringen – filen är skadad.`);
      if (pending) {
        chunks.get(pending.table)!.push(line);
        pending = undefined;
        continue;
      }
      const meta = JSON.parse(line) as { table?: string; rows?: number; end?: boolean; counts?: Record<string, number> };
      if (meta.end) end = { counts: meta.counts ?? {} };
      else if (meta.table && chunks.has(meta.table)) pending = { table: meta.table, rows: meta.rows ?? 0 };
      else throw new BackupError(`${file} innehåller en okänd tabell (${meta.table}) – filen är skadad.`);
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} kunde inte läsas som en Trygg-säkerhetskopia (${(err as Error).message}).`);
  }
  if (!header) throw new BackupError(`${file} är tom.`);
  if (!end || pending) throw new BackupError(`${file} är avkortad (slutmarkering saknas) – säkerhetskopian är ofullständig och återställs inte.`);
  return { header, chunks, counts: end.counts };
}

/** Number of rows in every app table; 0 everywhere (or no tables) means there is nothing to overwrite. */
export async function countRows(database: Database): Promise<number> {
  const client = await database.pool.connect();
  try {
    let total = 0;
    for (const t of await appTables(client)) {
      const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from ${ident(t)}`);
      total += rows[0].n;
    }
    return total;
  } finally {
    client.release();
  }
}

/**
 * Replaces every row of every app table with the backup's, in one transaction. Runs the migrations
 * first, and refuses a backup made by a different schema version (different migrations).
 */
export async function restoreBackup(database: Database, file: string): Promise<{ counts: Record<string, number> }> {
  const backup = await readBackup(file);
  await runMigrations(database);
  const client = await database.pool.connect();
  try {
    const here = await appliedMigrations(client);
    const there = backup.header.migrations;
    if (here.length !== there.length || here.some((h, i) => h !== there[i])) {
      throw new BackupError(
        `Säkerhetskopian är gjord av en annan version av Trygg (${there.length} databasmigreringar, den här versionen har ${here.length}). ` +
          `Återställ med samma version av Trygg som gjorde säkerhetskopian.`,
      );
    }
    const tables = await appTables(client);
    const unknown = backup.header.tables.filter((t) => !tables.includes(t));
    if (unknown.length) throw new BackupError(`Säkerhetskopian innehåller tabeller som inte finns här: ${unknown.join(', ')}.`);
    const { order, selfReferencing } = await insertOrder(client, tables);

    await client.query('begin');
    await client.query(`truncate ${tables.map(ident).join(', ')} restart identity cascade`);
    const counts: Record<string, number> = {};
    // Generated columns (the Swedish full-text vectors) are computed again, never inserted.
    const { rows: cols } = await client.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and is_generated = 'NEVER' order by table_name, ordinal_position`,
    );
    const columnsOf = new Map<string, string[]>();
    for (const c of cols) columnsOf.set(c.table_name, [...(columnsOf.get(c.table_name) ?? []), ident(c.column_name)]);
    for (const table of order) {
      const parts = backup.chunks.get(table) ?? [];
      // A table that points to itself (organisations.parent_id) goes in as one statement: foreign keys
      // are checked at the end of the statement, so a child may come before its parent in the file.
      const batches = selfReferencing.has(table) && parts.length > 1 ? [joinArrays(parts)] : parts;
      counts[table] = 0;
      for (const json of batches) {
        const res = await client.query(
          `insert into ${ident(table)} (${columnsOf.get(table)!.join(', ')})
           select ${columnsOf.get(table)!.join(', ')} from json_populate_recordset(null::${ident(table)}, $1::json)`,
          [json],
        );
        counts[table] += res.rowCount ?? 0;
      }
    }
    // Serial/identity columns continue after the restored rows.
    const { rows: seqs } = await client.query<{ table_name: string; column_name: string; seq: string }>(
      `select table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) as seq
         from information_schema.columns
        where table_schema = 'public' and pg_get_serial_sequence(quote_ident(table_name), column_name) is not null`,
    );
    for (const s of seqs) {
      await client.query(
        `select setval($1, coalesce((select max(${ident(s.column_name)}) from ${ident(s.table_name)}), 0) + 1, false)`,
        [s.seq],
      );
    }
    for (const [t, n] of Object.entries(backup.counts)) {
      if ((counts[t] ?? 0) !== n) throw new BackupError(`Tabellen ${t}: ${counts[t] ?? 0} rader återställda, säkerhetskopian har ${n}.`);
    }
    await client.query('commit');
    return { counts };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

function joinArrays(parts: string[]): string {
  const inner = parts.map((p) => p.trim().slice(1, -1)).filter((p) => p.length > 0);
  return `[${inner.join(',')}]`;
}

/** Default file name: DATA_DIR/backups/trygg-<UTC timestamp>.trygg-backup.gz */
export function defaultBackupFile(dataDir: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return path.join(dataDir, 'backups', `trygg-${stamp}.trygg-backup.gz`);
}
