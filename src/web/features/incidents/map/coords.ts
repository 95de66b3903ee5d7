import proj4 from 'proj4';
import boundary from '../../../../server/seed/lund-boundary.json';

/** SWEREF 99 TM, Sweden's national grid (EPSG:3006): UTM zone 33 on GRS 80, which equals WGS 84 to within a metre. */
export const EPSG_3006 = '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
const toSweref = proj4('EPSG:4326', EPSG_3006);

export interface LatLon {
  lat: number;
  lon: number;
}
/** Northing and easting in metres. */
export interface Sweref {
  n: number;
  e: number;
}

export function swerefOf({ lat, lon }: LatLon): Sweref {
  const [e, n] = toSweref.forward([lon, lat]) as [number, number];
  return { n, e };
}
export function latLonOf({ n, e }: Sweref): LatLon {
  const [lon, lat] = toSweref.inverse([e, n]) as [number, number];
  return { lat, lon };
}
/** The projection itself ([lon, lat] ↔ [e, n]), for the map's SWEREF 99 TM coordinate system. */
export const sweref99tm = toSweref;

/** Roughly Sweden (land and territorial waters), WGS 84: a position outside is surely wrong. */
const SWEDEN = { south: 55.0, north: 69.1, west: 10.5, east: 24.2 };
export const inSweden = ({ lat, lon }: LatLon) => lat >= SWEDEN.south && lat <= SWEDEN.north && lon >= SWEDEN.west && lon <= SWEDEN.east;

type Ring = [number, number][];
const rings: Ring[] = (boundary as { features: { geometry: { type: string; coordinates: unknown } }[] }).features.flatMap((f) =>
  f.geometry.type === 'Polygon' ? [(f.geometry.coordinates as Ring[])[0]!] : f.geometry.type === 'MultiPolygon' ? (f.geometry.coordinates as Ring[][]).map((p) => p[0]!) : [],
);
/** Inside the municipal boundary (the bundled one the map draws), by ray casting. */
export function inMunicipality({ lat, lon }: LatLon): boolean {
  return rings.some((ring) => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  });
}

/** A number typed by a person: decimal comma or point, spaces (thousands) ignored; null when not a number. */
export function parseCoordinate(s: string): number | null {
  const t = s.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.').replace(/^−/, '-');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}
