import { inflateRawSync } from 'node:zlib';

/**
 * Just enough of the ZIP format to tell what an uploaded Office file holds: the names in the central
 * directory (the archive's table of contents, at its end) and the content of one small entry. Every
 * offset is bounds-checked; an archive that cannot be read this way is "not a readable ZIP" (undefined).
 */
export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 100_000;

const u16 = (b: Buffer, at: number) => (at + 2 <= b.length ? b.readUInt16LE(at) : undefined);
const u32 = (b: Buffer, at: number) => (at + 4 <= b.length ? b.readUInt32LE(at) : undefined);
const u64 = (b: Buffer, at: number) => {
  if (at + 8 > b.length) return undefined;
  const v = b.readBigUInt64LE(at);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
};

/** Where the central directory is and how many entries it has, from the end-of-central-directory record. */
function directory(data: Buffer): { offset: number; count: number } | undefined {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let at = data.length - 22; at >= 0 && at >= data.length - 22 - 0xffff; at--) {
    if (data.readUInt32LE(at) !== EOCD) continue;
    let count: number | undefined = u16(data, at + 10);
    let offset: number | undefined = u32(data, at + 16);
    if (count === 0xffff || offset === 0xffffffff) {
      // ZIP64: a locator just before the record points at the 64-bit record.
      if (at < 20 || data.readUInt32LE(at - 20) !== ZIP64_LOCATOR) return undefined;
      const record = u64(data, at - 20 + 8);
      if (record === undefined || u32(data, record) !== ZIP64_EOCD) return undefined;
      count = u64(data, record + 32);
      offset = u64(data, record + 48);
    }
    if (count === undefined || offset === undefined || offset > data.length) return undefined;
    return { offset, count };
  }
  return undefined;
}

/** The entries of a ZIP archive, or undefined if the bytes are not a readable ZIP. */
export function zipEntries(data: Buffer): ZipEntry[] | undefined {
  const dir = directory(data);
  if (!dir || dir.count > MAX_ENTRIES) return undefined;
  const entries: ZipEntry[] = [];
  let at = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    if (u32(data, at) !== CENTRAL || at + 46 > data.length) return undefined;
    const flags = data.readUInt16LE(at + 8);
    const method = data.readUInt16LE(at + 10);
    let compressedSize = data.readUInt32LE(at + 20);
    let size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    let localOffset = data.readUInt32LE(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > data.length) return undefined;
    const name = data.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    // ZIP64 sizes and offset, in that order, for the fields that are saturated.
    const extra = data.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const length = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let p = e + 4;
        const next = () => {
          const v = p + 8 <= e + 4 + length ? u64(extra, p) : undefined;
          p += 8;
          return v;
        };
        if (size === 0xffffffff) size = next() ?? size;
        if (compressedSize === 0xffffffff) compressedSize = next() ?? compressedSize;
        if (localOffset === 0xffffffff) localOffset = next() ?? localOffset;
      }
      e += 4 + length;
    }
    entries.push({ name, method, encrypted: (flags & 1) === 1, compressedSize, size, localOffset });
    at = end;
  }
  return entries;
}

/** The content of one entry (stored or deflated), at most `maxBytes` long; undefined if it cannot be read. */
export function zipRead(data: Buffer, entry: ZipEntry, maxBytes: number): Buffer | undefined {
  if (entry.encrypted || entry.size > maxBytes) return undefined;
  const at = entry.localOffset;
  if (u32(data, at) !== LOCAL || at + 30 > data.length) return undefined;
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  if (start + entry.compressedSize > data.length) return undefined;
  const raw = data.subarray(start, start + entry.compressedSize);
  try {
    if (entry.method === 0) return raw;
    if (entry.method === 8) return inflateRawSync(raw, { maxOutputLength: maxBytes });
  } catch {
    return undefined;
  }
  return undefined;
}
