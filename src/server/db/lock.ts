import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {}

/** Lock files this process holds (to tell "opened twice here" from a stale file with a reused pid). */
const held = new Set<string>();

/**
 * Is `pid` a live process that could be Trygg? After a crash the pid may have been reused — in a
 * container Trygg is often pid 1 on every start — so a live pid that is not a Node process, or is
 * this very process, does not hold the lock.
 */
function holderAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|tsx|trygg/i.test(cmdline);
  } catch {
    return true; // no /proc (not Linux): trust the signal check
  }
}

/**
 * PGlite has no lock of its own: a second process on the same data directory would corrupt it.
 * Takes `<dir>.lock` atomically (O_EXCL) holding this process's pid; a stale lock from a process that
 * is gone is replaced. Returns the release function.
 */
export function acquireDirLock(dir: string): () => void {
  const lockFile = path.resolve(dir) + '.lock';
  if (held.has(lockFile)) throw new DataDirLockedError(`Databaskatalogen ${dir} är redan öppnad av den här processen.`);
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      held.add(lockFile);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(lockFile);
        try {
          if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let content: string;
      let ageMs: number;
      try {
        content = fs.readFileSync(lockFile, 'utf8').trim();
        ageMs = Date.now() - fs.statSync(lockFile).mtimeMs;
      } catch {
        continue; // removed between open and read: try again
      }
      const pid = Number(content);
      if (!Number.isInteger(pid) || pid <= 0) {
        // Created but not yet written by a process starting this very moment, or garbage left behind.
        if (ageMs < 5_000) throw locked(dir, undefined);
      } else if (holderAlive(pid)) {
        throw locked(dir, pid);
      }
      fs.rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(`Kunde inte låsa databaskatalogen ${dir}.`);
}

function locked(dir: string, pid: number | undefined) {
  return new DataDirLockedError(
    `Databaskatalogen ${dir} används redan av en annan Trygg-process${pid ? ` (pid ${pid})` : ''}. ` +
      `Stoppa den först, eller ange en annan DATA_DIR. ` +
      `(The data directory is in use by another Trygg process.)`,
  );
}
