import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { DataDirLockedError } from './db/lock.ts';
import { runMigrations } from './db/migrate.ts';
import { buildApp } from './app.ts';
import { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo } from './seed/seed.ts';
import { startJobRunner } from './lib/job-runner.ts';

const webDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

async function main() {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: path.join(config.DATA_DIR, 'pglite'),
  });
  let closing = false;
  try {
    await runMigrations(database);
    const seeded = config.SEED_DEMO && (await isEmpty(database.db));
    if (seeded) await seedDemo(database.db);

    const app = await buildApp({ config, database, webDir });
    const runner = startJobRunner({ db: database.db, config, log: app.log });
    await app.listen({ port: config.PORT, host: config.HOST });

    const shown = config.PUBLIC_URL.replace(/\/$/, '');
    console.log(`\nTrygg körs på ${shown} (databas: ${database.kind === 'pglite' ? `inbyggd PGlite i ${path.resolve(config.DATA_DIR, 'pglite')}` : 'PostgreSQL'})`);
    if (config.SEED_DEMO) console.log(`Demoinloggning: ${DEMO_USERS[0].email} / ${DEMO_PASSWORD}  (fler demokonton i README.md)\n`);

    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 20_000);
      try {
        await app.close();
        await runner.stop();
        await database.close();
        clearTimeout(force);
        process.exit(0);
      } catch (err) {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      }
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(`\n${err.message}\n`);
  } else {
    console.error('Trygg kunde inte starta:', err);
  }
  process.exit(1);
});
