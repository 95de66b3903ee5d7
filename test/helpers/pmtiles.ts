import zlib from 'node:zlib';
import { zxyToTileId } from 'pmtiles';

/**
 * Test helpers that build basemap files by hand: a solid-colour PNG and a PMTiles v3 archive (the spec:
 * a 127-byte header, an uncompressed root directory, JSON metadata, the tile data). The pmtiles package
 * only reads archives; Trygg's server reads these with it, so a mistake here shows as a failing read.
 */

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A size×size PNG of one colour (RGB). */
export function solidPng([r, g, b]: [number, number, number], size = 256): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.alloc(1 + size * 3);
  for (let i = 0; i < size; i++) row.set([r, g, b], 1 + i * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function varint(n: number, out: number[]) {
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

/** The web-mercator tile holding a position at zoom z. */
export function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [Math.min(n - 1, x), Math.min(n - 1, y)];
}

export interface PmTile {
  z: number;
  x: number;
  y: number;
  data: Buffer;
}

/**
 * A PMTiles v3 archive of the given tiles: tile type 2 (PNG) unless told, no compression, one root
 * directory. Equal tile contents are stored once (entries share the offset), as real archives do.
 */
export function buildPmtiles(tiles: PmTile[], opts: { tileType?: number; bounds?: [number, number, number, number] } = {}): Buffer {
  const entries = tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  const contents: Buffer[] = [];
  const offsets = new Map<string, number>();
  let dataLength = 0;
  const placed = entries.map((e) => {
    const key = e.data.toString('base64');
    let offset = offsets.get(key);
    if (offset === undefined) {
      offset = dataLength;
      offsets.set(key, offset);
      contents.push(e.data);
      dataLength += e.data.length;
    }
    return { id: e.id, offset, length: e.data.length };
  });
  const dir: number[] = [];
  varint(placed.length, dir);
  let last = 0;
  for (const e of placed) {
    varint(e.id - last, dir);
    last = e.id;
  }
  for (let i = 0; i < placed.length; i++) varint(1, dir); // run lengths
  for (const e of placed) varint(e.length, dir);
  placed.forEach((e, i) => varint(i > 0 && e.offset === placed[i - 1]!.offset + placed[i - 1]!.length ? 0 : e.offset + 1, dir));
  const root = Buffer.from(dir);
  const meta = Buffer.from('{}');
  const zooms = tiles.map((t) => t.z);
  const [w, s, e, n] = opts.bounds ?? [-180, -85, 180, 85];

  const h = Buffer.alloc(127);
  h.write('PMTiles', 0, 'ascii');
  h[7] = 3;
  const u64 = (off: number, v: number) => h.writeBigUInt64LE(BigInt(v), off);
  const rootOffset = 127;
  const metaOffset = rootOffset + root.length;
  const dataOffset = metaOffset + meta.length;
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metaOffset);
  u64(32, meta.length);
  u64(40, dataOffset); // no leaf directories
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, dataLength);
  u64(72, placed.length);
  u64(80, placed.length);
  u64(88, contents.length);
  h[96] = 0; // not clustered (shared contents)
  h[97] = 1; // internal compression: none
  h[98] = 1; // tile compression: none
  h[99] = opts.tileType ?? 2;
  h[100] = Math.min(...zooms);
  h[101] = Math.max(...zooms);
  h.writeInt32LE(Math.round(w * 1e7), 102);
  h.writeInt32LE(Math.round(s * 1e7), 106);
  h.writeInt32LE(Math.round(e * 1e7), 110);
  h.writeInt32LE(Math.round(n * 1e7), 114);
  h[118] = Math.min(...zooms);
  h.writeInt32LE(Math.round(((w + e) / 2) * 1e7), 119);
  h.writeInt32LE(Math.round(((s + n) / 2) * 1e7), 123);
  return Buffer.concat([h, root, meta, ...contents]);
}

/** Every tile covering a box (west, south, east, north) at zooms from..to, all with the same content. */
export function tilesCovering(bbox: [number, number, number, number], from: number, to: number, data: Buffer): PmTile[] {
  const out: PmTile[] = [];
  for (let z = from; z <= to; z++) {
    const [x0, y0] = tileOf(bbox[0], bbox[3], z);
    const [x1, y1] = tileOf(bbox[2], bbox[1], z);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push({ z, x, y, data });
  }
  return out;
}
