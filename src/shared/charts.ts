/**
 * Charts in council documents, as data and as a drawing. A chart block carries its categories, series,
 * value labels (formatted by the server, in the document's language) and a text alternative; `chartLayout`
 * turns it into vector shapes in its own coordinate space. The same shapes are drawn by the PDF (a tagged
 * Figure with /Alt) and by the web's print page (an SVG with role="img"), so the two never disagree; the
 * DOCX gets a native Word chart from the same data (lib/documents/docx.ts).
 */

/** `bar`: horizontal bars, one per series in each category; `stackedBar`: one bar per category, its series as shares of it; `line`: a line per series over the categories. */
export type ChartKind = 'bar' | 'stackedBar' | 'line';

export interface ChartSeries {
  name: string;
  /** One value per category; null: no value (drawn as a gap, labelled "–"). */
  values: (number | null)[];
  /** Each value as the document writes it ("40,5 %"); defaults to the number. */
  labels?: string[];
  /** #RRGGBB */
  color: string;
  /** A line chart draws the series dashed (a comparison, such as last year). */
  dashed?: boolean;
}

export interface ChartBlock {
  type: 'chart';
  kind: ChartKind;
  /** Shown above the chart. */
  title: string;
  /** The chart in words, for those who do not see it: its values, in the document's language. */
  alt: string;
  categories: string[];
  series: ChartSeries[];
  /** The value axis' top (bar and line charts); default: the largest value. */
  max?: number;
  /** Written after the value axis' numbers ("%"). */
  unit?: string;
  /** With dashed series: the legend shows the solid ones and this one entry for all dashed ("Föregående år"). */
  dashedLegend?: string;
}

export type Shape =
  /** Rings of [x, y] points; the first is the outline, later ones holes (even-odd). */
  | { kind: 'polygon'; rings: [number, number][][]; fill?: string; stroke?: string; lineWidth?: number; opacity?: number }
  | { kind: 'circle'; x: number; y: number; r: number; fill?: string; stroke?: string; opacity?: number }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill?: string; stroke?: string; lineWidth?: number; opacity?: number }
  /** An open line through the points. */
  | { kind: 'line'; points: [number, number][]; stroke: string; lineWidth?: number; dash?: boolean }
  /** `y` is the top of the text; `anchor` where `x` is: at its start (default), middle or end. */
  | { kind: 'text'; x: number; y: number; text: string; size?: number; color?: string; anchor?: 'start' | 'middle' | 'end'; bold?: boolean };

export interface ChartDrawing {
  width: number;
  height: number;
  shapes: Shape[];
}

/** Colours for series without a meaning of their own (goals), distinguishable in print. */
export const SERIES_COLORS = ['#1F5F8B', '#D35400', '#2E7D32', '#7D3C98', '#B03A2E', '#117A65', '#7E5109', '#2C3E50', '#AF7AC5', '#5DADE2'];

const W = 500;
const FONT = 9;
const GRID = '#C8CDD2';
const AXIS_TEXT = '#333333';

/** A text's width, estimated (Source Sans 3 averages about half an em per character). */
export const textWidth = (text: string, size = FONT) => text.length * size * 0.55;

function fit(text: string, width: number, size = FONT) {
  if (textWidth(text, size) <= width) return text;
  const chars = Math.max(1, Math.floor(width / (size * 0.55)) - 1);
  return `${text.slice(0, chars).trimEnd()}…`;
}

const label = (s: ChartSeries, i: number) => s.labels?.[i] ?? (s.values[i] === null ? '–' : String(s.values[i]));

/** Dark fills get white text. */
function onFill(hex: string) {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b < 150 ? '#FFFFFF' : '#000000';
}

/** The legend, wrapped in rows across the width; returns its height. */
function legend(shapes: Shape[], items: { name: string; color: string; dashed?: boolean }[], y0: number) {
  let x = 0;
  let y = y0;
  for (const it of items) {
    const w = 14 + textWidth(it.name) + 18;
    if (x > 0 && x + w > W) {
      x = 0;
      y += 15;
    }
    if (it.dashed) shapes.push({ kind: 'line', points: [[x, y + 5.5], [x + 10, y + 5.5]], stroke: it.color, lineWidth: 1.2, dash: true });
    else shapes.push({ kind: 'rect', x, y: y + 1, w: 9, h: 9, fill: it.color });
    shapes.push({ kind: 'text', x: x + 13, y, text: it.name, size: FONT, color: AXIS_TEXT });
    x += w;
  }
  return y - y0 + 16;
}

function ticks(max: number) {
  const step = max <= 10 ? Math.max(1, Math.ceil(max / 5)) : max <= 100 ? (max === 100 ? 25 : Math.ceil(max / 4 / 5) * 5) : Math.ceil(max / 4 / 10) * 10;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
  if (out[out.length - 1] < max) out.push(out[out.length - 1] + step);
  return out;
}

/** The chart as shapes in a `width` × `height` space. */
export function chartLayout(c: ChartBlock): ChartDrawing {
  const shapes: Shape[] = [];
  const items = c.dashedLegend
    ? [...c.series.filter((s) => !s.dashed).map((s) => ({ name: s.name, color: s.color })), ...(c.series.some((s) => s.dashed) ? [{ name: c.dashedLegend, color: '#555555', dashed: true }] : [])]
    : c.series.map((s) => ({ name: s.name, color: s.color, dashed: s.dashed }));
  const top = legend(shapes, items, 2) + 6;
  const unit = c.unit ? ` ${c.unit}` : '';
  if (c.kind === 'line') return lineChart(c, shapes, top, unit);

  const labelW = 150;
  const x0 = labelW + 6;
  const x1 = W - 44;
  const stacked = c.kind === 'stackedBar';
  const barH = stacked ? 16 : 11;
  const groupH = stacked ? barH + 8 : c.series.length * barH + 10;
  const dataMax = Math.max(0, ...c.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const scaleMax = stacked ? 100 : ticks(c.max ?? Math.max(dataMax, 1)).slice(-1)[0];
  const plotBottom = top + c.categories.length * groupH;
  const xOf = (v: number) => x0 + (Math.min(v, scaleMax) / scaleMax) * (x1 - x0);
  for (const t of stacked ? [0, 25, 50, 75, 100] : ticks(scaleMax)) {
    shapes.push({ kind: 'line', points: [[xOf(t), top - 2], [xOf(t), plotBottom]], stroke: GRID, lineWidth: 0.5 });
    shapes.push({ kind: 'text', x: xOf(t), y: plotBottom + 3, text: `${t}${stacked ? ' %' : unit}`, size: 8, color: AXIS_TEXT, anchor: 'middle' });
  }
  c.categories.forEach((cat, i) => {
    const gy = top + i * groupH + 4;
    const inner = stacked ? barH : c.series.length * barH;
    shapes.push({ kind: 'text', x: labelW, y: gy + inner / 2 - FONT / 2 - 1, text: fit(cat, labelW), size: FONT, color: '#000000', anchor: 'end' });
    if (stacked) {
      const total = c.series.reduce((s, x) => s + (x.values[i] ?? 0), 0);
      let x = x0;
      for (const s of c.series) {
        const v = s.values[i] ?? 0;
        if (!v || !total) continue;
        const w = (v / total) * (x1 - x0);
        shapes.push({ kind: 'rect', x, y: gy, w, h: barH, fill: s.color, stroke: '#FFFFFF', lineWidth: 0.5 });
        const text = label(s, i);
        if (textWidth(text, 8) + 4 <= w) shapes.push({ kind: 'text', x: x + w / 2, y: gy + barH / 2 - 4, text, size: 8, color: onFill(s.color), anchor: 'middle' });
        x += w;
      }
      if (!total) shapes.push({ kind: 'text', x: x0 + 3, y: gy + barH / 2 - 4, text: '–', size: 8, color: AXIS_TEXT });
    } else {
      c.series.forEach((s, j) => {
        const y = gy + j * barH;
        const v = s.values[i];
        const w = v === null ? 0 : xOf(v) - x0;
        if (w > 0) shapes.push({ kind: 'rect', x: x0, y: y + 1, w, h: barH - 2, fill: s.color });
        shapes.push({ kind: 'text', x: x0 + w + 3, y: y + barH / 2 - 4, text: label(s, i), size: 8, color: '#000000' });
      });
    }
  });
  shapes.push({ kind: 'line', points: [[x0, top - 2], [x0, plotBottom]], stroke: '#666666', lineWidth: 0.75 });
  return { width: W, height: plotBottom + 14, shapes };
}

function lineChart(c: ChartBlock, shapes: Shape[], top: number, unit: string): ChartDrawing {
  const x0 = 44;
  // Room on the right for the series' names at their last points.
  const x1 = W - Math.min(120, Math.max(40, ...c.series.filter((s) => !s.dashed).map((s) => textWidth(s.name, 8) + 12)));
  const h = 170;
  const bottom = top + h;
  const dataMax = Math.max(0, ...c.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const scale = ticks(c.max ?? Math.max(dataMax, 1));
  const max = scale[scale.length - 1];
  const n = c.categories.length;
  const xOf = (i: number) => (n === 1 ? (x0 + x1) / 2 : x0 + (i / (n - 1)) * (x1 - x0));
  const yOf = (v: number) => bottom - (v / max) * h;
  for (const t of scale) {
    shapes.push({ kind: 'line', points: [[x0, yOf(t)], [x1, yOf(t)]], stroke: GRID, lineWidth: 0.5 });
    shapes.push({ kind: 'text', x: x0 - 4, y: yOf(t) - 4, text: `${t}${unit}`, size: 8, color: AXIS_TEXT, anchor: 'end' });
  }
  // Every category named when the names fit side by side, else every k-th one (and the last).
  const spacing = (x1 - x0) / Math.max(n - 1, 1);
  const widest = Math.max(...c.categories.map((cat) => textWidth(cat)));
  const step = n <= 2 ? 1 : Math.max(1, Math.ceil((widest + 8) / spacing));
  c.categories.forEach((cat, i) => {
    if (i % step !== 0 && i !== n - 1) return;
    if (i !== n - 1 && i + step > n - 1 && (n - 1 - i) * spacing < widest + 8) return;
    // Two or fewer: at the ends, under the first and last points; more: centred under each point.
    const anchor = n === 1 || n > 2 ? 'middle' : i === 0 ? 'start' : 'end';
    shapes.push({ kind: 'text', x: xOf(i), y: bottom + 4, text: n <= 2 ? fit(cat, (x1 - x0) / 2) : cat, size: FONT, color: AXIS_TEXT, anchor });
  });
  shapes.push({ kind: 'line', points: [[x0, bottom], [x1, bottom]], stroke: '#666666', lineWidth: 0.75 });
  // Series' names at their last point, moved apart where they would overlap.
  const ends: { y: number; name: string; color: string; x: number }[] = [];
  for (const s of c.series) {
    let run: [number, number][] = [];
    const runs: [number, number][][] = [];
    s.values.forEach((v, i) => {
      if (v === null) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push([xOf(i), yOf(v)]);
    });
    if (run.length) runs.push(run);
    for (const r of runs) if (r.length > 1) shapes.push({ kind: 'line', points: r, stroke: s.color, lineWidth: s.dashed ? 1 : 1.5, dash: s.dashed });
    for (const r of runs) for (const [x, y] of r) shapes.push({ kind: 'circle', x, y, r: s.dashed ? 1.8 : 2.5, fill: s.dashed ? '#FFFFFF' : s.color, stroke: s.color });
    const last = runs.flat().slice(-1)[0];
    if (last && !s.dashed) ends.push({ x: last[0], y: last[1], name: s.name, color: s.color });
  }
  ends.sort((a, b) => a.y - b.y);
  for (let i = 1; i < ends.length; i++) if (ends[i].y - ends[i - 1].y < 9) ends[i].y = ends[i - 1].y + 9;
  for (const e of ends) shapes.push({ kind: 'text', x: e.x + 6, y: e.y - 4, text: fit(e.name, W - e.x - 8, 8), size: 8, color: e.color });
  return { width: W, height: Math.max(bottom + 16, (ends[ends.length - 1]?.y ?? 0) + 12), shapes };
}
