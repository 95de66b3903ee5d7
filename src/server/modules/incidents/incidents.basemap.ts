import fs from 'node:fs/promises';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import type { z } from 'zod';
import type { Config } from '../../config.ts';
import type { basemap } from '../../../shared/schemas/incidents.ts';

type Basemap = z.infer<typeof basemap>;
export type BasemapConfig = Pick<Config, 'MAP_TILE_URL' | 'MAP_TILE_ATTRIBUTION' | 'MAP_WMTS_URL' | 'MAP_WMTS_ORIGIN' | 'MAP_WMTS_RESOLUTIONS' | 'MAP_PMTILES'>;

/** Where the browser asks for tiles of a PMTiles basemap: Trygg itself. */
export const BASEMAP_TILE_URL = '/api/basemap/{z}/{x}/{y}';

const CONTENT_TYPES: Partial<Record<TileType, string>> = {
  [TileType.Png]: 'image/png',
  [TileType.Jpeg]: 'image/jpeg',
  [TileType.Webp]: 'image/webp',
  [TileType.Avif]: 'image/avif',
};

/** PMTiles reads byte ranges; here from a file on the server's disk (the package's own FileSource is the browser's). */
class DiskSource implements Source {
  constructor(private readonly path: string) {}
  getKey() {
    return this.path;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const file = await fs.open(this.path, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await file.read(buf, 0, length, offset);
      // A fresh ArrayBuffer of exactly the bytes read (the header read asks for more than a small file holds).
      return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer };
    } finally {
      await file.close();
    }
  }
}

export class BasemapError extends Error {}

/**
 * The basemap: which source the web map uses (settings), and for a PMTiles file the tiles themselves, read
 * from the archive on the server so that no request leaves Trygg. Raster archives only (the browser draws
 * the images as they are); a vector archive stops the boot with a message.
 */
export function createBasemap(config: BasemapConfig) {
  const attribution = config.MAP_TILE_ATTRIBUTION || null;
  const archive = config.MAP_PMTILES ? new PMTiles(new DiskSource(config.MAP_PMTILES)) : null;

  /** Reads and checks the PMTiles header (at boot): a broken or vector file is a configuration error. */
  async function header() {
    if (!archive) return null;
    let h;
    try {
      h = await archive.getHeader();
    } catch (e) {
      throw new BasemapError(`MAP_PMTILES: ${config.MAP_PMTILES} är ingen läsbar PMTiles-fil (version 3): ${(e as Error).message}`);
    }
    if (!CONTENT_TYPES[h.tileType]) throw new BasemapError(`MAP_PMTILES: ${config.MAP_PMTILES} innehåller inte rasterbilder (PNG, JPEG, WebP eller AVIF) utan rutor av typ ${h.tileType}; Trygg visar bara rasterkartor.`);
    return h;
  }

  return {
    check: header,
    async settings(): Promise<Basemap> {
      if (archive) {
        const h = (await header())!;
        return { kind: 'pmtiles', url: BASEMAP_TILE_URL, attribution, minZoom: h.minZoom, maxZoom: h.maxZoom, bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat] };
      }
      if (config.MAP_WMTS_URL) {
        const [x, y] = config.MAP_WMTS_ORIGIN.split(',').map(Number) as [number, number];
        return { kind: 'wmts3006', url: config.MAP_WMTS_URL, attribution, origin: [x, y], resolutions: config.MAP_WMTS_RESOLUTIONS.split(',').map(Number) };
      }
      if (config.MAP_TILE_URL) return { kind: 'xyz', url: config.MAP_TILE_URL, attribution };
      return { kind: 'none' };
    },
    /** One tile's bytes and content type; null when there is no PMTiles basemap or the archive has no such tile. */
    async tile(z: number, x: number, y: number): Promise<{ data: Buffer; contentType: string } | null> {
      if (!archive) return null;
      const h = (await header())!;
      const t = await archive.getZxy(z, x, y);
      if (!t) return null;
      return { data: Buffer.from(t.data), contentType: CONTENT_TYPES[h.tileType]! };
    },
  };
}
export type Basemaps = ReturnType<typeof createBasemap>;
