import { describe, expect, it } from 'vitest';
import { inMunicipality, inSweden, latLonOf, parseCoordinate, swerefOf } from './coords.ts';

describe('positions in SWEREF 99 TM and WGS 84', () => {
  it('converts both ways within a millimetre, in the range of Swedish grid values', () => {
    for (const p of [
      { lat: 55.7047, lon: 13.191 }, // Lund
      { lat: 59.3293, lon: 18.0686 }, // Stockholm
      { lat: 67.8558, lon: 20.2253 }, // Kiruna
    ]) {
      const s = swerefOf(p);
      // SWEREF 99 TM: northings about 6.1–7.7 million m, eastings about 0.2–1.0 million m (500 000 on 15° E).
      expect(s.n).toBeGreaterThan(6_100_000);
      expect(s.n).toBeLessThan(7_700_000);
      expect(s.e).toBeGreaterThan(200_000);
      expect(s.e).toBeLessThan(1_000_000);
      const back = latLonOf(s);
      expect(Math.abs(back.lat - p.lat)).toBeLessThan(1e-8);
      expect(Math.abs(back.lon - p.lon)).toBeLessThan(1e-8);
    }
    // On the central meridian (15° E) the easting is the false easting, 500 000 m.
    expect(swerefOf({ lat: 62, lon: 15 }).e).toBeCloseTo(500_000, 3);
    // Further north, larger northing; further east, larger easting.
    expect(swerefOf({ lat: 56, lon: 13.191 }).n).toBeGreaterThan(swerefOf({ lat: 55.7047, lon: 13.191 }).n);
    expect(swerefOf({ lat: 55.7047, lon: 14 }).e).toBeGreaterThan(swerefOf({ lat: 55.7047, lon: 13.191 }).e);
  });

  it('tells positions in Sweden and in the municipality from others', () => {
    expect(inSweden({ lat: 55.7047, lon: 13.191 })).toBe(true);
    expect(inSweden({ lat: 52.52, lon: 13.405 })).toBe(false); // Berlin
    // Northing and easting swapped: nowhere near.
    expect(inSweden(latLonOf({ n: 387_500, e: 6_176_500 }))).toBe(false);
    expect(inMunicipality({ lat: 55.7047, lon: 13.191 })).toBe(true); // Lund centre
    expect(inMunicipality({ lat: 55.605, lon: 13.0038 })).toBe(false); // Malmö
  });

  it('reads numbers as people type them', () => {
    expect(parseCoordinate('6176500')).toBe(6176500);
    expect(parseCoordinate(' 6 176 500 ')).toBe(6176500);
    expect(parseCoordinate('55,7047')).toBe(55.7047);
    expect(parseCoordinate('13.191')).toBe(13.191);
    expect(parseCoordinate('−12,5')).toBe(-12.5);
    for (const bad of ['', 'abc', '61765OO', '1,2,3', '55.']) expect(parseCoordinate(bad)).toBeNull();
  });
});
