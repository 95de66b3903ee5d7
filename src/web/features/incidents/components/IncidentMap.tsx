import { useEffect, useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
// Leaflet's CommonJS build sets window.L, which leaflet.heat extends (L.heatLayer): import Leaflet first.
import L from 'leaflet';
import 'leaflet.heat';
import 'leaflet/dist/leaflet.css';
import boundary from '../../../../server/seed/lund-boundary.json';
import { MAP_POINTS_ZOOM } from '../../../../shared/schemas/incidents.ts';
import { lagesbildMapApi, type AreaT, type MapFilter, type MapResultT } from '../api.ts';
import { formatDateTime } from '../../../format.ts';
import { escapeHtml, mapSetup, type MapSetup } from '../map/basemap.ts';

type HeatLayer = L.Layer & { setLatLngs(p: [number, number, number][]): void; setOptions(o: object): void };
/** leaflet.heat redraws in an animation frame, which fails if the layer left the map meanwhile: cancel it first. */
const stopHeat = (h: HeatLayer) => {
  const x = h as unknown as { _frame: number | null };
  if (x._frame) L.Util.cancelAnimFrame(x._frame);
  x._frame = null;
};
const heatLayer = (L as unknown as { heatLayer: (p: [number, number, number][], o: object) => HeatLayer }).heatLayer;

export interface MapSummary {
  incidents: number | null;
  police: number | null;
  mode: 'clusters' | 'points';
  truncated: boolean;
}

/** West, south, east, north, padded a little and kept inside what the server accepts. */
function bboxOf(map: L.Map) {
  const b = map.getBounds().pad(0.1);
  const w = Math.max(-180, b.getWest());
  const e = Math.min(180, b.getEast());
  const s = Math.max(-85, b.getSouth());
  const n = Math.min(85, b.getNorth());
  return [w, s, e, n].map((v) => v.toFixed(5)).join(',');
}


/**
 * The lägesbild map: the municipal boundary (bundled, works offline), tiles only when configured, incident
 * clusters or points and police events as their own layer from /api/incident-map (re-fetched on move and
 * zoom), an optional heat layer, the areas, and a polygon being drawn. The statistics tables beside it are
 * the text alternative.
 */
export function IncidentMap({
  filter,
  showIncidents,
  showPolice,
  heat,
  areas,
  draft,
  categoryName,
  onMapClick,
  onReady,
  onSummary,
}: {
  filter: MapFilter;
  showIncidents: boolean;
  showPolice: boolean;
  heat: boolean;
  areas: AreaT[];
  /** The polygon being drawn ([lat, lon] corners); null when not drawing. */
  draft: [number, number][] | null;
  categoryName: (key: string, categoryId: string | null) => string;
  onMapClick?: (lat: number, lon: number) => void;
  onReady?: (map: L.Map) => void;
  onSummary?: (s: MapSummary) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layers = useRef<{ incidents: L.LayerGroup; police: L.LayerGroup; areas: L.LayerGroup; draft: L.LayerGroup; heat: HeatLayer } | null>(null);
  const [view, setView] = useState<{ bbox: string; zoom: number } | null>(null);
  const [tileState, setTileState] = useState<'none' | 'ok' | 'failed'>('none');
  const settings = useQuery({ queryKey: ['map-settings'], queryFn: () => lagesbildMapApi.settings(), staleTime: Infinity });
  const setupRef = useRef<MapSetup | null>(null);
  /** Set once the map exists (it waits for the basemap settings: the coordinate system depends on them). */
  const [ready, setReady] = useState(false);
  const clickRef = useRef(onMapClick);
  clickRef.current = onMapClick;
  const basemap = settings.data?.basemap;

  // The map itself: once, in the coordinate system of the basemap (web mercator, or SWEREF 99 TM for a WMTS in EPSG:3006).
  useEffect(() => {
    if (!el.current || !basemap) return;
    const setup = mapSetup(basemap);
    setupRef.current = setup;
    const map = L.map(el.current, { crs: setup.crs, zoomControl: false, minZoom: setup.minZoom, maxZoom: setup.maxZoom, keyboard: true });
    mapRef.current = map;
    map.attributionControl.setPrefix(false);
    const outline = L.geoJSON(boundary as never, { style: { color: '#0b4f71', weight: 2, fillColor: '#0b4f71', fillOpacity: 0.04 }, interactive: false }).addTo(map);
    map.fitBounds(outline.getBounds());
    const group = () => L.layerGroup().addTo(map);
    layers.current = { areas: group(), incidents: group(), police: group(), draft: group(), heat: heatLayer([], { radius: 25, blur: 18, minOpacity: 0.3 }) };
    // The server clusters on web-mercator zooms: send the one matching this map's scale.
    const update = () => setView({ bbox: bboxOf(map), zoom: setup.mercatorZoom(map.getZoom(), map.getCenter().lat) });
    map.on('moveend', update);
    map.on('click', (e: L.LeafletMouseEvent) => clickRef.current?.(e.latlng.lat, e.latlng.lng));
    update();
    setReady(true);
    onReady?.(map);
    return () => {
      if (layers.current) stopHeat(layers.current.heat);
      map.remove();
      mapRef.current = null;
      layers.current = null;
      setupRef.current = null;
      setReady(false);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [basemap]);

  // Leaflet's own controls, in the user's language.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const zoom = L.control.zoom({ zoomInTitle: t('lagesbildMap.zoomIn'), zoomOutTitle: t('lagesbildMap.zoomOut') }).addTo(map);
    return () => void zoom.remove();
  }, [t, ready]);

  // Tiles only from configuration; when none of the first tiles loads, the boundary alone remains.
  useEffect(() => {
    const map = mapRef.current;
    const tiles = setupRef.current?.tiles;
    if (!map || !tiles) return;
    let loaded = 0;
    let errors = 0;
    tiles.on('tileload', () => void loaded++);
    tiles.on('tileerror', () => void errors++);
    tiles.on('load', () => {
      if (loaded > 0 || errors === 0) return;
      map.removeLayer(tiles);
      setTileState('failed');
    });
    tiles.addTo(map);
    setTileState('ok');
    return () => void map.removeLayer(tiles);
  }, [ready]);

  const policeFilter = { categoryId: filter.categoryId, from: filter.from, to: filter.to };
  const incidents = useQuery({
    queryKey: ['incident-map', 'incidents', view, filter],
    queryFn: ({ signal }) => lagesbildMapApi.map({ ...filter, ...view!, source: 'incidents' }, signal),
    enabled: !!view && showIncidents,
    placeholderData: keepPreviousData,
  });
  const police = useQuery({
    queryKey: ['incident-map', 'police', view, policeFilter],
    queryFn: ({ signal }) => lagesbildMapApi.map({ ...policeFilter, ...view!, source: 'police' }, signal),
    enabled: !!view && showPolice,
    placeholderData: keepPreviousData,
  });

  // Markers: clusters (count badges, Enter or click zooms in) or single points (incidents link to their page).
  useEffect(() => {
    const map = mapRef.current;
    const l = layers.current;
    if (!map || !l) return;
    const draw = (group: L.LayerGroup, data: MapResultT | undefined, source: 'incidents' | 'police') => {
      group.clearLayers();
      if (!data || (source === 'incidents' ? !showIncidents : !showPolice)) return;
      for (const c of data.clusters) {
        // Room for every digit inside the border (about 9 px a digit at this font size).
        const size = Math.max(30, 16 + String(c.count).length * 9);
        const label = t(source === 'incidents' ? 'lagesbildMap.clusterLabel' : 'lagesbildMap.policeClusterLabel', { count: c.count, common: categoryName(c.key, c.categoryId) });
        const m = L.marker([c.lat, c.lon], {
          icon: L.divIcon({ className: `map-cluster map-cluster-${source}`, html: `<span aria-hidden="true">${c.count}</span>`, iconSize: [size, size] }),
          keyboard: true,
        });
        // A cluster of one: straight to the zoom where it is a point of its own (centred on it); others zoom in three steps.
        const setup = setupRef.current!;
        const pointZoom = setup.zoomForMercator(MAP_POINTS_ZOOM, c.lat);
        const zoomIn = () => map.setView([c.lat, c.lon], c.count === 1 ? Math.max(pointZoom, map.getZoom()) : Math.min(map.getZoom() + 3, map.getMaxZoom()));
        m.on('click', zoomIn);
        m.on('keypress', (e: L.LeafletEvent) => {
          if ((e as L.LeafletKeyboardEvent).originalEvent.key === 'Enter') zoomIn();
        });
        m.addTo(group);
        const icon = m.getElement();
        icon?.setAttribute('aria-label', label);
        icon?.setAttribute('title', label);
        icon?.setAttribute('data-count', String(c.count));
      }
      for (const p of data.points) {
        const name = categoryName(p.key, p.categoryId);
        const label = source === 'incidents' ? t('lagesbildMap.pointLabel', { name, at: formatDateTime(p.at), status: p.status ? t(`incidentStatus.${p.status}`) : '' }) : t('lagesbildMap.policePointLabel', { name, at: formatDateTime(p.at) });
        const html =
          source === 'incidents'
            ? `<a href="/handelser/${encodeURIComponent(p.id)}" data-incident="${escapeHtml(p.id)}" aria-label="${escapeHtml(label)}" title="${escapeHtml(label)}"></a>`
            : `<span title="${escapeHtml(label)}"><span class="visually-hidden">${escapeHtml(label)}</span></span>`;
        L.marker([p.lat, p.lon], { icon: L.divIcon({ className: `map-point map-point-${source}`, html, iconSize: [18, 18] }), keyboard: false }).addTo(group);
      }
    };
    draw(l.incidents, incidents.data, 'incidents');
    draw(l.police, police.data, 'police');
    // The heat layer: the weight of every cluster or point shown.
    const heatPoints: [number, number, number][] = [];
    for (const d of [showIncidents ? incidents.data : undefined, showPolice ? police.data : undefined]) {
      if (!d) continue;
      for (const c of d.clusters) heatPoints.push([c.lat, c.lon, c.count]);
      for (const p of d.points) heatPoints.push([p.lat, p.lon, 1]);
    }
    if (heat) {
      if (!map.hasLayer(l.heat)) l.heat.addTo(map);
      l.heat.setOptions({ max: Math.max(1, ...heatPoints.map((p) => p[2])) });
      l.heat.setLatLngs(heatPoints);
    } else if (map.hasLayer(l.heat)) {
      stopHeat(l.heat);
      map.removeLayer(l.heat);
    }
  }, [incidents.data, police.data, showIncidents, showPolice, heat, t, categoryName, ready]);

  useEffect(() => {
    onSummary?.({
      incidents: showIncidents ? (incidents.data?.total ?? null) : null,
      police: showPolice ? (police.data?.total ?? null) : null,
      mode: view && view.zoom >= MAP_POINTS_ZOOM ? 'points' : 'clusters',
      truncated: !!incidents.data?.truncated || !!police.data?.truncated,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incidents.data, police.data, showIncidents, showPolice, view]);

  // Areas as dashed outlines.
  useEffect(() => {
    const l = layers.current;
    if (!l) return;
    l.areas.clearLayers();
    for (const a of areas) if (a.active) L.geoJSON(a.geometry as never, { style: { color: '#5b4300', weight: 2, dashArray: '6 4', fillOpacity: 0.03 }, interactive: false }).addTo(l.areas);
  }, [areas, ready]);

  // The polygon being drawn.
  useEffect(() => {
    const l = layers.current;
    if (!l) return;
    l.draft.clearLayers();
    if (!draft) return;
    if (draft.length >= 2) (draft.length >= 3 ? L.polygon(draft, { color: '#c25100', weight: 3, interactive: false }) : L.polyline(draft, { color: '#c25100', weight: 3, interactive: false })).addTo(l.draft);
    for (const p of draft) L.circleMarker(p, { radius: 5, color: '#c25100', fillOpacity: 1, interactive: false }).addTo(l.draft);
  }, [draft, ready]);

  // A point's link opens the incident inside the app (no full page load).
  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const onClick = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.('a[data-incident]');
      if (!a) return;
      e.preventDefault();
      e.stopPropagation();
      void navigate({ to: '/handelser/$id', params: { id: a.getAttribute('data-incident')! } });
    };
    node.addEventListener('click', onClick, true);
    return () => node.removeEventListener('click', onClick, true);
  }, [navigate]);

  const failed = incidents.error ?? police.error;
  return (
    <div className="incident-map-wrap">
      {tileState === 'failed' && <p className="alert alert-warn">{t('lagesbildMap.tilesFailed')}</p>}
      {basemap?.kind === 'none' && <p className="small muted no-print">{t('lagesbildMap.offline')}</p>}
      {settings.error && (
        <p className="alert alert-error" role="alert">
          {settings.error.message}
        </p>
      )}
      {failed && (
        <p className="alert alert-error" role="alert">
          {failed.message}
        </p>
      )}
      <div
        ref={el}
        className={`incident-map${draft ? ' is-drawing' : ''}`}
        role="region"
        aria-label={t('lagesbildMap.mapLabel')}
        aria-describedby="lagesbild-map-help"
        data-testid="incident-map"
        data-zoom={view?.zoom}
        data-basemap={basemap?.kind}
      />
      <p id="lagesbild-map-help" className="small muted">
        {t('lagesbildMap.mapHelp')}
      </p>
    </div>
  );
}
