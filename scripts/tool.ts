// Shared start-up for the command-line tools (audit:verify, backup, restore): the same configuration
// as the app (DATABASE_URL, or the embedded database in DATA_DIR/pglite) and clear Swedish errors.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../src/server/config.ts';
import { openDatabase, type Database } from '../src/server/db/client.ts';
import { DataDirLockedError } from '../src/server/db/lock.ts';
import { BackupError } from '../src/server/db/backup.ts';

/** An error whose message is for the operator: printed without a stack trace. */
export class ToolError extends Error {}

export function describeTarget(config: Config): string {
  if (config.DATABASE_URL) {
    const u = new URL(config.DATABASE_URL);
    return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  }
  return `den inbyggda databasen i ${path.resolve(config.DATA_DIR, 'pglite')}`;
}

/**
 * Opens the configured database. Embedded: fails clearly when Trygg is running on the same DATA_DIR
 * (`whenLocked` says what to do instead) and, with `mustExist`, when there is no database yet.
 */
export async function openForTool(config: Config, opts: { whenLocked: string; mustExist: boolean }): Promise<Database> {
  if (config.DATABASE_URL) {
    try {
      return await openDatabase({ databaseUrl: config.DATABASE_URL, followChanges: false });
    } catch (err) {
      throw new ToolError(`Kunde inte ansluta till PostgreSQL i DATABASE_URL: ${(err as Error).message}`);
    }
  }
  const dir = path.join(config.DATA_DIR, 'pglite');
  if (opts.mustExist && !fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    throw new ToolError(
      `Det finns ingen inbyggd databas i ${path.resolve(dir)}. Ange rätt DATA_DIR, eller DATABASE_URL för PostgreSQL.`,
    );
  }
  try {
    return await openDatabase({ pgliteDir: dir });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      throw new ToolError(`Trygg körs just nu på den inbyggda databasen i ${path.resolve(dir)}.\n${opts.whenLocked}\n(${err.message})`);
    }
    throw err;
  }
}

/** Runs a tool: known errors print their message and exit 2; anything else prints the error and exits 2. */
export function runTool(main: (config: Config) => Promise<number>): void {
  (async () => {
    const config = loadConfig();
    return main(config);
  })()
    .then((code) => process.exit(code))
    .catch((err) => {
      if (err instanceof ToolError || err instanceof ConfigError || err instanceof BackupError) console.error(`\n${err.message}\n`);
      else console.error('Oväntat fel:', err);
      process.exit(2);
    });
}
