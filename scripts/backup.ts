// `npm run backup [-- file]`: a logical backup of the configured database (embedded PGlite or
// DATABASE_URL) into one gzip'd file; default DATA_DIR/backups/trygg-<time>.trygg-backup.gz.
// Embedded database: Trygg must be stopped (the data directory has one user at a time).
// Exit 0: written. Exit 2: could not back up.
import path from 'node:path';
import { createBackup, defaultBackupFile } from '../src/server/db/backup.ts';
import { describeTarget, openForTool, runTool } from './tool.ts';

runTool(async (config) => {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const file = path.resolve(args[0] ?? defaultBackupFile(config.DATA_DIR));
  const database = await openForTool(config, {
    mustExist: true,
    whenLocked:
      'Stoppa Trygg (Ctrl+C eller SIGTERM – databasen stängs rent) och kör säkerhetskopieringen igen; den tar bara några sekunder.',
  });
  try {
    console.log(`Säkerhetskopierar ${describeTarget(config)} …`);
    const { counts } = await createBackup(database, file);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Klart: ${total} rader i ${Object.keys(counts).length} tabeller sparade i\n${file}`);
    console.log(`Återställ med: npm run restore -- ${JSON.stringify(file)}`);
    return 0;
  } finally {
    await database.close();
  }
});
