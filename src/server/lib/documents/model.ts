/**
 * A council document as data: what Trygg hands the board (follow-up reports, remiss compilations,
 * lägesbild reports). One model, rendered to DOCX (docx), tagged PDF (pdfkit) and, for its tables, XLSX.
 */
import type { ChartBlock, Shape } from '../../../shared/charts.ts';

export type { ChartBlock, Shape } from '../../../shared/charts.ts';

/** A chart (src/shared/charts.ts) is data like the rest: PDF and web draw it the same, DOCX makes a Word chart of it. */
export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string; muted?: boolean }
  | { type: 'table'; caption?: string; columns: { header: string; width?: number }[]; rows: string[][] }
  | { type: 'pageBreak' }
  | ChartBlock;
/** Any block a document may hold: the text blocks above, or a figure (PDF only draws it). */
export type AnyBlock = Block | FigureBlock;

/**
 * A vector drawing (a map, a chart) in its own coordinate space of `width` × `height` points, scaled to the
 * text width. PDF: drawn with pdfkit as a tagged Figure carrying `alt`; DOCX: the caption and `alt` as text
 * (a chart block, which keeps its data, becomes a native Word chart instead).
 */
export interface FigureBlock {
  type: 'figure';
  alt: string;
  caption?: string;
  width: number;
  height: number;
  shapes: Shape[];
}
/** `B`: the blocks this model may hold (a model served as JSON to the web keeps to text blocks and charts). */
export interface DocumentModel<B extends AnyBlock = AnyBlock> {
  /** The sender on the cover, e.g. "Lunds kommun — Kommunkontoret". */
  organisation: string;
  title: string;
  subtitle?: string;
  /** Label/value lines on the cover: date, diarienummer, round, prepared by… */
  meta: { label: string; value: string }[];
  blocks: B[];
  /** BCP 47 language of the content. */
  lang: 'sv-SE' | 'en-GB';
  /** Footer text on every page (besides the page number). */
  footer?: string;
}

/** Called while rendering long documents: share of work done, 0–1. */
export type ProgressFn = (share: number) => Promise<void> | void;

/**
 * Column widths for a table `total` wide: in proportion to the columns' `width` weights, but never narrower
 * than the column's longest word (in its header or any cell) plus `pad`, so that no heading, number or word
 * is broken in the middle. Columns above their minimum give up space in proportion to their weight. When the
 * longest words cannot all fit, headings and short words (numbers, dates, up to 12 characters) still keep
 * whole and only long words in running text may break; only when even those do not fit are the minimums
 * scaled down together. `fits`: every word keeps whole.
 */
export function columnWidths(
  columns: { header: string; width?: number }[],
  rows: string[][],
  total: number,
  measure: (word: string, header: boolean) => number,
  pad: number,
): number[] & { fits?: boolean } {
  const words = (text: string) => text.split(/\s+/).filter(Boolean);
  const longest = (list: string[], header: boolean) => Math.max(0, ...list.map((w) => measure(w, header)));
  const colWords = columns.map((_, j) => [...new Set(rows.flatMap((r) => words(r[j] ?? '')))]);
  const soft = columns.map((c, j) => Math.max(longest(words(c.header), true), longest(colWords[j], false)) + pad);
  const hard = columns.map((c, j) => Math.max(longest(words(c.header), true), longest(colWords[j].filter((w) => w.length <= 12), false)) + pad);
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const fits = sum(soft) <= total;
  const min = fits ? soft : hard;
  if (sum(min) >= total) return Object.assign(min.map((m) => (m / sum(min)) * total), { fits: false });
  const weight = columns.map((c) => c.width ?? 1);
  const fixed = new Set<number>();
  for (;;) {
    const free = total - [...fixed].reduce((s, j) => s + min[j], 0);
    const share = weight.reduce((s, w, j) => (fixed.has(j) ? s : s + w), 0);
    const widths = weight.map((w, j) => (fixed.has(j) ? min[j] : (w / share) * free));
    const under = widths.map((_, j) => j).filter((j) => !fixed.has(j) && widths[j] < min[j]);
    if (!under.length) return Object.assign(widths, { fits });
    for (const j of under) fixed.add(j);
  }
}
