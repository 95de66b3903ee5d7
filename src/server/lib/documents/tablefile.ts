import { AppError } from '../errors.ts';
import { CsvError, parseCsv } from './csv.ts';
import { readXlsx } from './xlsx.ts';

/**
 * An uploaded table — XLSX (a zip: starts with "PK") or CSV — as headers and rows of text. A file that is
 * neither is one Swedish refusal (IMPORT_UNREADABLE) for every import (plan, key figures, crime statistics).
 */
export async function readTableFile(buf: Buffer): Promise<{ headers: string[]; rows: Record<string, string>[] }> {
  try {
    if (buf.subarray(0, 2).toString('latin1') === 'PK') return await readXlsx(buf);
    return parseCsv(buf);
  } catch (err) {
    if (err instanceof CsvError || err instanceof Error) throw new AppError('IMPORT_UNREADABLE');
    throw err;
  }
}
