import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite has no lock of its own: a second process on the same data directory would corrupt it.
 * Takes `<dir>.lock` atomically (O_EXCL); a stale lock from a dead process is replaced.
 */
export function acquireDirLock(dir: string): () => void {
  const lockFile = path.resolve(dir) + '.lock';
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lockFile, 'utf8'));
      if (pid && pid !== process.pid && alive(pid)) {
        throw new DataDirLockedError(
          `Databaskatalogen ${dir} används redan av en annan Trygg-process (pid ${pid}). ` +
            `Stoppa den först, eller ange en annan DATA_DIR. ` +
            `(The data directory is in use by another Trygg process.)`,
        );
      }
      if (pid === process.pid) {
        throw new DataDirLockedError(`Databaskatalogen ${dir} är redan öppnad av den här processen.`);
      }
      fs.unlinkSync(lockFile); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(`Kunde inte låsa databaskatalogen ${dir}.`);
}
