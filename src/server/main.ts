import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { DataDirLockedError } from './db/lock.ts';
import { ModuleBootError } from './lib/module.ts';

/** A start-up failure with a message meant for the operator (no stack trace). */
class StartupError extends Error {}

const webDir = fileURLToPath(new URL('../../dist/web', import.meta.url));
/** Made by `npm run build` (scripts/pglite-template.ts): an empty data directory starts from it. */
const pgliteTemplate = fileURLToPath(new URL('../../dist/pglite-template', import.meta.url));

async function main() {
  const config = loadConfig();
  // The embedded database opens in its own thread (PGlite compiling its WebAssembly, 2–3 s); meanwhile this
  // thread loads the app's modules (1.5–2.5 s of TypeScript). Loading them first, as static imports would,
  // made a first start wait for one after the other (issue #12 item 5).
  const loading = Promise.all([import('./db/migrate.ts'), import('./app.ts'), import('./seed/seed.ts'), import('./lib/job-runner.ts')]);
  loading.catch(() => {}); // awaited below; an import error must not become an unhandled rejection meanwhile
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: path.join(config.DATA_DIR, 'pglite'),
    pgliteTemplate,
  }).catch((err: Error) => {
    if (config.DATABASE_URL && !(err instanceof DataDirLockedError)) {
      throw new StartupError(`Kunde inte ansluta till PostgreSQL i DATABASE_URL: ${err.message}. Kontrollera adressen och att databasservern är igång.`);
    }
    throw err;
  });
  let closing = false;
  try {
    const [{ runMigrations }, { buildApp }, { DEMO_PASSWORD, DEMO_USERS, isEmpty, seedDemo }, { startJobRunner }] = await loading;
    await runMigrations(database);
    const seeded = config.SEED_DEMO && (await isEmpty(database.db));
    if (seeded) await seedDemo(database.db, undefined, { history: true });

    const app = await buildApp({ config, database, webDir });
    // The runner handles what the modules declare (app.ts's boot loop collected and checked it).
    const { jobHandlers, recurring } = app.contributions;
    const runner = startJobRunner({ db: database.db, config, log: app.log, handlers: jobHandlers, recurring: [...recurring] });
    try {
      await app.listen({ port: config.PORT, host: config.HOST });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new StartupError(`Porten ${config.PORT} används redan av ett annat program. Stoppa det eller välj en annan port med PORT.`);
      }
      throw err;
    }

    // PORT=0 picks a free port: show the one actually bound unless PUBLIC_URL was given.
    const bound = app.server.address();
    const actualPort = typeof bound === 'object' && bound ? bound.port : config.PORT;
    const shown = (process.env.PUBLIC_URL ? config.PUBLIC_URL : `http://localhost:${actualPort}`).replace(/\/$/, '');
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
  if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof StartupError || err instanceof ModuleBootError) {
    console.error(`\n${err.message}\n`);
  } else {
    console.error('Trygg kunde inte starta:', err);
  }
  process.exit(1);
});
