import L from 'leaflet';
import type { MapSettingsT } from '../api.ts';
import { sweref99tm } from './coords.ts';

export type Basemap = MapSettingsT['basemap'];

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Metres per pixel of a SWEREF 99 TM matrix set at a (possibly fractional or deeper) zoom: halving past the last level. */
function resolutionAt(resolutions: number[], zoom: number): number {
  const last = resolutions.length - 1;
  if (zoom >= last) return resolutions[last]! / 2 ** (zoom - last);
  if (zoom <= 0) return resolutions[0]! * 2 ** -zoom;
  const i = Math.floor(zoom);
  const f = zoom - i;
  return resolutions[i]! * (resolutions[i + 1]! / resolutions[i]!) ** f;
}

/** A Leaflet coordinate system in SWEREF 99 TM (EPSG:3006) on a WMTS tile matrix set (top-left origin, resolutions). */
function crs3006(origin: [number, number], resolutions: number[]): L.CRS {
  const projection: L.Projection = {
    project: (ll: L.LatLng) => {
      const [x, y] = sweref99tm.forward([ll.lng, ll.lat]) as [number, number];
      return L.point(x, y);
    },
    unproject: (p: L.Point) => {
      const [lon, lat] = sweref99tm.inverse([p.x, p.y]) as [number, number];
      return L.latLng(lat, lon);
    },
    bounds: L.bounds([origin[0], origin[1] - resolutions[0]! * 256 * 32], [origin[0] + resolutions[0]! * 256 * 32, origin[1]]),
  };
  return L.Util.extend({}, L.CRS.Earth, {
    code: 'EPSG:3006',
    projection,
    transformation: new L.Transformation(1, -origin[0], -1, origin[1]),
    scale: (zoom: number) => 1 / resolutionAt(resolutions, zoom),
    zoom: (scale: number) => {
      // The inverse of scale(): the zoom whose resolution is 1/scale.
      const r = 1 / scale;
      for (let z = 0; z < resolutions.length - 1; z++) if (r <= resolutions[z]! && r >= resolutions[z + 1]!) return z + Math.log(resolutions[z]! / r) / Math.log(resolutions[z]! / resolutions[z + 1]!);
      const last = resolutions.length - 1;
      return r > resolutions[0]! ? -Math.log2(r / resolutions[0]!) : last + Math.log2(resolutions[last]! / r);
    },
    infinite: true,
    wrapLng: undefined,
    wrapLat: undefined,
  }) as L.CRS;
}

/** Web-mercator metres per pixel at zoom 0 on the equator (256-pixel tiles). */
const MERCATOR_Z0 = 156543.034;

export interface MapSetup {
  crs: L.CRS;
  minZoom: number;
  maxZoom: number;
  /** The tile layer, or null (no basemap: the boundary alone). */
  tiles: L.TileLayer | null;
  /**
   * The web-mercator zoom showing about as much as this map's zoom at a latitude: what the server's
   * clustering understands (its cells and the zoom from which it sends points are web-mercator zooms).
   */
  mercatorZoom: (zoom: number, lat: number) => number;
  /** The inverse: this map's lowest zoom showing at least as much detail as a web-mercator zoom. */
  zoomForMercator: (mercator: number, lat: number) => number;
}

/** Leaflet's coordinate system, zoom range and tile layer for the configured basemap. */
export function mapSetup(b: Basemap): MapSetup {
  const attribution = 'attribution' in b && b.attribution ? escapeHtml(b.attribution) : undefined;
  if (b.kind === 'wmts3006') {
    const res = (z: number) => resolutionAt(b.resolutions, z);
    const mercatorZoom = (z: number, lat: number) => Math.round(Math.log2((MERCATOR_Z0 * Math.cos((lat * Math.PI) / 180)) / res(z)));
    const zoomOf = (m: number, lat: number) => {
      let z = 0;
      while (z < 30 && mercatorZoom(z, lat) < m) z++;
      return z;
    };
    const lastLevel = b.resolutions.length - 1;
    // About the same range as the web-mercator map (zoom 7 to 18 at Swedish latitudes).
    const minZoom = Math.max(0, zoomOf(7, 60) - 1);
    const maxZoom = Math.max(lastLevel, zoomOf(18, 60));
    return {
      crs: crs3006(b.origin, b.resolutions),
      minZoom,
      maxZoom,
      tiles: L.tileLayer(b.url, { attribution, tileSize: 256, maxNativeZoom: lastLevel, maxZoom }),
      mercatorZoom,
      zoomForMercator: zoomOf,
    };
  }
  const mercator = { crs: L.CRS.EPSG3857, minZoom: 7, maxZoom: 18, mercatorZoom: (z: number) => z, zoomForMercator: (m: number) => m };
  if (b.kind === 'xyz') return { ...mercator, tiles: L.tileLayer(b.url, { attribution, maxZoom: 19 }) };
  if (b.kind === 'pmtiles') {
    const [w, s, e, n] = b.bounds;
    return {
      ...mercator,
      tiles: L.tileLayer(b.url, { attribution, minNativeZoom: b.minZoom, maxNativeZoom: b.maxZoom, maxZoom: 19, bounds: L.latLngBounds([s, w], [n, e]) }),
    };
  }
  return { ...mercator, tiles: null };
}
