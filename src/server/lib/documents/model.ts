/**
 * A council document as data: what Trygg hands the board (follow-up reports, remiss compilations,
 * lägesbild reports). One model, rendered to DOCX (docx), tagged PDF (pdfkit) and, for its tables, XLSX.
 */
export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string; muted?: boolean }
  | { type: 'table'; caption?: string; columns: { header: string; width?: number }[]; rows: string[][] }
  | { type: 'pageBreak' };

export interface DocumentModel {
  /** The sender on the cover, e.g. "Lunds kommun — Kommunkontoret". */
  organisation: string;
  title: string;
  subtitle?: string;
  /** Label/value lines on the cover: date, diarienummer, round, prepared by… */
  meta: { label: string; value: string }[];
  blocks: Block[];
  /** BCP 47 language of the content. */
  lang: 'sv-SE' | 'en-GB';
  /** Footer text on every page (besides the page number). */
  footer?: string;
}

/** Called while rendering long documents: share of work done, 0–1. */
export type ProgressFn = (share: number) => Promise<void> | void;
