import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from './errors.ts';

/**
 * Files kept outside the database (records in the registry, governing documents, remiss replies):
 * content-addressed by SHA-256 in a configured folder (FILES_DIR, default DATA_DIR/files). The
 * checksum is stored with the metadata and checked again on every read, so a changed or damaged file
 * is never served as the original.
 */
export interface StoredFile {
  sha256: string;
  size: number;
}

export interface FileStore {
  readonly dir: string;
  /** Writes the bytes (atomically; an identical file is stored once) and returns their checksum. */
  put(data: Buffer): Promise<StoredFile>;
  /** The bytes with this checksum; 404 FILE_MISSING if absent, 409 FILE_CORRUPT if they no longer match. */
  get(sha256: string): Promise<Buffer>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function sha256Of(data: Buffer) {
  return createHash('sha256').update(data).digest('hex');
}

export function createFileStore(dir: string): FileStore {
  const root = path.resolve(dir);
  const pathOf = (sha256: string) => {
    if (!SHA256.test(sha256)) throw new AppError('FILE_MISSING');
    return path.join(root, sha256.slice(0, 2), sha256);
  };
  return {
    dir: root,
    async put(data) {
      const sha256 = sha256Of(data);
      const target = pathOf(sha256);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const exists = await fs.stat(target).then((s) => s.size === data.length, () => false);
      if (!exists) {
        const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
        await fs.writeFile(tmp, data, { flag: 'wx' });
        await fs.rename(tmp, target);
      }
      return { sha256, size: data.length };
    },
    async get(sha256) {
      const data = await fs.readFile(pathOf(sha256)).catch(() => {
        throw new AppError('FILE_MISSING');
      });
      if (sha256Of(data) !== sha256) throw new AppError('FILE_CORRUPT');
      return data;
    },
  };
}
