// The data-directory lock: one Trygg per embedded database, and no false alarms after a crash.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDirLock, DataDirLockedError } from '../../src/server/db/lock.ts';

describe('acquireDirLock', () => {
  let base: string;
  let dir: string;
  let lockFile: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'trygg-lock-'));
    dir = path.join(base, 'pglite');
    lockFile = `${dir}.lock`;
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('writes the pid, refuses a second open in the same process, and releases', () => {
    const release = acquireDirLock(dir);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    expect(() => acquireDirLock(dir)).toThrow(DataDirLockedError);
    release();
    expect(fs.existsSync(lockFile)).toBe(false);
    acquireDirLock(dir)();
  });

  it('refuses while another live Node process holds it, naming the pid', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(lockFile, String(other.pid));
      expect(() => acquireDirLock(dir)).toThrow(new RegExp(`används redan av en annan Trygg-process \\(pid ${other.pid}\\)`));
      expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(other.pid));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('replaces a stale lock whose process is gone', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => gone.on('exit', r));
    fs.writeFileSync(lockFile, String(gone.pid));
    const release = acquireDirLock(dir);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('replaces a stale lock carrying this process’s own pid (a restarted container where Trygg is pid 1 again)', () => {
    fs.writeFileSync(lockFile, String(process.pid));
    const release = acquireDirLock(dir);
    release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('replaces a stale lock whose pid now belongs to an unrelated program', async () => {
    // Node itself under another name (argv0), so no system program is needed: its /proc cmdline is
    // "idle -e …", which names neither node, tsx nor trygg.
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { argv0: 'idle', stdio: 'ignore' });
    try {
      fs.writeFileSync(lockFile, String(sleeper.pid));
      const release = acquireDirLock(dir);
      expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
      release();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('treats a fresh, still empty lock file as taken (another process is starting right now)', () => {
    fs.writeFileSync(lockFile, '');
    expect(() => acquireDirLock(dir)).toThrow(DataDirLockedError);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockFile, old, old);
    acquireDirLock(dir)();
  });
});
