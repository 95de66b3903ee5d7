export const GOAL_BYTES: number;
export const FIRST_VISIT_PAGES: string[];
export const DEFAULT_DIST: string;
export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
}
export function firstVisitJs(
  distDir?: string,
  pages?: string[],
  webRoot?: string,
): { chunks: ChunkSize[]; gzip: number; bytes: number; goal: number };
