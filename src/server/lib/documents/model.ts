/**
 * A council document as data: what Trygg hands the board (follow-up reports, remiss compilations,
 * lägesbild reports). One model, rendered to DOCX (docx), tagged PDF (pdfkit) and, for its tables, XLSX.
 */
export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string; muted?: boolean }
  | { type: 'table'; caption?: string; columns: { header: string; width?: number }[]; rows: string[][] }
  | { type: 'pageBreak' };
/** Any block a document may hold: the text blocks above, or a figure (PDF only draws it). */
export type AnyBlock = Block | FigureBlock;

/**
 * A vector drawing (a map, a chart) in its own coordinate space of `width` × `height` points, scaled to the
 * text width. PDF: drawn with pdfkit as a tagged Figure carrying `alt`; DOCX: the caption and `alt` as text.
 */
export interface FigureBlock {
  type: 'figure';
  alt: string;
  caption?: string;
  width: number;
  height: number;
  shapes: Shape[];
}
export type Shape =
  /** Rings of [x, y] points; the first is the outline, later ones holes (even-odd). */
  | { kind: 'polygon'; rings: [number, number][][]; fill?: string; stroke?: string; lineWidth?: number; opacity?: number }
  | { kind: 'circle'; x: number; y: number; r: number; fill?: string; stroke?: string; opacity?: number }
  | { kind: 'text'; x: number; y: number; text: string; size?: number; color?: string };

/** `B`: the blocks this model may hold (a model served as JSON to the web keeps to text blocks). */
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
