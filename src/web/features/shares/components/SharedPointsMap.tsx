import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import boundary from '../../../../server/seed/lund-boundary.json';
import { MAP_POINTS_ZOOM } from '../../../../shared/schemas/incidents.ts';
import { lagesbildMapApi } from '../../incidents/api.ts';
import { mapSetup } from '../../incidents/map/basemap.ts';

export interface SharedPoint {
  lat: number;
  lon: number;
  label: string;
}

/**
 * A shared map extract drawn on the map (issue #13): exactly the points the partner was given, on the same
 * basemap as the lägesbild map (the municipal boundary, bundled, works offline; tiles only when configured, a
 * SWEREF 99 TM WMTS or the municipality's own PMTiles file). Each point is reachable with Tab and names itself
 * (a tooltip on focus); Enter or a click zooms to it. The list on the page is the text alternative. Loaded
 * lazily: Leaflet stays off the first load.
 */
export default function SharedPointsMap({ points, listId }: { points: SharedPoint[]; listId: string }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const settings = useQuery({ queryKey: ['map-settings'], queryFn: () => lagesbildMapApi.settings(), staleTime: Infinity });
  const basemap = settings.data?.basemap;

  useEffect(() => {
    if (!el.current || !basemap) return;
    const setup = mapSetup(basemap);
    const map = L.map(el.current, { crs: setup.crs, zoomControl: false, minZoom: setup.minZoom, maxZoom: setup.maxZoom, keyboard: true });
    map.attributionControl.setPrefix(false);
    L.control.zoom({ zoomInTitle: t('lagesbildMap.zoomIn'), zoomOutTitle: t('lagesbildMap.zoomOut') }).addTo(map);
    const outline = L.geoJSON(boundary as never, { style: { color: '#0b4f71', weight: 2, fillColor: '#0b4f71', fillOpacity: 0.04 }, interactive: false }).addTo(map);
    // Tiles only from configuration; if none loads, the boundary alone remains.
    const tiles = setup.tiles;
    if (tiles) {
      let loaded = 0;
      tiles.on('tileload', () => void loaded++);
      tiles.on('load', () => {
        if (loaded === 0) map.removeLayer(tiles);
      });
      tiles.addTo(map);
    }
    // The shared points in view (the boundary as context when there is one or none), before the markers: a layer is drawn once the map has a view.
    const bounds = points.length > 1 ? L.latLngBounds(points.map((p) => [p.lat, p.lon] as [number, number])).pad(0.2) : outline.getBounds();
    map.fitBounds(bounds);
    if (points.length === 1) map.setView([points[0].lat, points[0].lon], Math.max(map.getZoom(), setup.zoomForMercator(MAP_POINTS_ZOOM - 2, points[0].lat)));
    points.forEach((p, i) => {
      const label = t('shares.mapPoint', { n: i + 1, total: points.length, label: p.label });
      const m = L.marker([p.lat, p.lon], { icon: L.divIcon({ className: 'map-point map-point-shared', html: '<span aria-hidden="true"></span>', iconSize: [18, 18] }), keyboard: true });
      const zoomTo = () => map.setView([p.lat, p.lon], Math.max(map.getZoom(), setup.zoomForMercator(MAP_POINTS_ZOOM, p.lat)));
      m.on('click', zoomTo);
      m.on('keypress', (e: L.LeafletEvent) => {
        if ((e as L.LeafletKeyboardEvent).originalEvent.key === 'Enter') zoomTo();
      });
      m.bindTooltip(label, { direction: 'top', offset: [0, -10] });
      m.addTo(map);
      const icon = m.getElement();
      icon?.setAttribute('aria-label', label);
      icon?.setAttribute('data-point', String(i + 1));
    });
    return () => void map.remove();
  }, [basemap, points, t]);

  return (
    <div className="incident-map-wrap">
      {settings.error && (
        <p className="alert alert-error" role="alert">
          {settings.error.message}
        </p>
      )}
      <div ref={el} className="incident-map shared-map" role="region" aria-label={t('shares.mapLabel', { count: points.length })} aria-describedby={`${listId}-help`} data-testid="shared-map" data-points={points.length} />
      <p id={`${listId}-help`} className="small muted">
        {t('shares.mapHelp')}
      </p>
    </div>
  );
}
