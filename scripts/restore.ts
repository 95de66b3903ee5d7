// `npm run restore -- file [--force]`: replaces ALL data in the configured database (embedded PGlite
// or DATABASE_URL) with a backup made by `npm run backup`, in one transaction, then verifies the
// audit chain. Asks for confirmation (or needs --force) when the database holds data; refuses while
// Trygg runs on the embedded database. Exit 0: restored. Exit 1: restored but the audit chain is broken.
// Exit 2: nothing restored.
import path from 'node:path';
import readline from 'node:readline/promises';
import { countRows, readBackup, restoreBackup } from '../src/server/db/backup.ts';
import { verifyAuditChain } from '../src/server/lib/audit.ts';
import { describeTarget, openForTool, runTool, ToolError } from './tool.ts';

runTool(async (config) => {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const force = args.includes('--force');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) throw new ToolError('Ange säkerhetskopian som ska återställas: npm run restore -- <fil> [--force]');
  const file = path.resolve(files[0]);
  const backup = await readBackup(file); // check the file before touching the database
  const rowsInFile = Object.values(backup.counts).reduce((a, b) => a + b, 0);

  const database = await openForTool(config, {
    mustExist: false,
    whenLocked: 'Stoppa Trygg först: en återställning ersätter all data och kan inte göras medan appen använder databasen.',
  });
  try {
    const target = describeTarget(config);
    if (database.kind === 'postgres') {
      const others = await database.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      if (others.rows[0].n > 0 && !force) {
        throw new ToolError(
          `${others.rows[0].n} andra anslutningar använder ${target} (körs Trygg?). Stoppa Trygg först, eller ange --force om du är säker.`,
        );
      }
    }
    const existing = await countRows(database);
    if (existing > 0 && !force) {
      const question =
        `${target} innehåller ${existing} rader som ERSÄTTS av säkerhetskopian från ${backup.header.createdAt} (${rowsInFile} rader).\n` +
        `Skriv ja för att fortsätta: `;
      if (!process.stdin.isTTY) {
        throw new ToolError(`${target} innehåller redan data (${existing} rader). Återställningen skriver över allt: ange --force för att bekräfta.`);
      }
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      const answer = (await rl.question(question)).trim().toLowerCase();
      rl.close();
      if (answer !== 'ja' && answer !== 'yes') throw new ToolError('Avbrutet – ingenting har ändrats.');
    }
    console.log(`Återställer ${file}\n  till ${target} …`);
    const { counts } = await restoreBackup(database, file);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Klart: ${total} rader i ${Object.keys(counts).length} tabeller återställda.`);
    const chain = await verifyAuditChain(database.db);
    if (!chain.ok) {
      console.error(`VARNING: granskningsloggens hashkedja är bruten vid post ${chain.firstBad!.id} (${chain.firstBad!.problem}). Kör npm run audit:verify.`);
      return 1;
    }
    console.log(`Granskningsloggen är obruten (${chain.checked} poster kontrollerade).`);
    return 0;
  } finally {
    await database.close();
  }
});
