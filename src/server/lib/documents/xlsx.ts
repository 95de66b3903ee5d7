import type ExcelJS from 'exceljs';

/** exceljs is loaded on first use: it is large, and most processes never write a workbook (server memory, issue #12). */
const excel = async () => (await import('exceljs')).default;

export interface Sheet {
  name: string;
  columns: { header: string; key: string; width?: number }[];
  rows: Record<string, string | number | null | Date>[];
}

/** One workbook, a sheet per table: header row bold and frozen, auto-filter on, widths set. */
export async function renderXlsx(sheets: Sheet[], meta: { title: string; creator?: string }): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = meta.creator ?? 'Trygg';
  wb.title = meta.title;
  wb.created = new Date();
  for (const s of sheets) {
    // Excel forbids some characters and more than 31 characters in sheet names.
    const ws = wb.addWorksheet(s.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = s.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 20 }));
    ws.getRow(1).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    if (s.columns.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: s.columns.length } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads the first sheet (or the named one) as rows of cell text keyed by the header row. */
export async function readXlsx(buf: Buffer, sheetName?: string): Promise<{ headers: string[]; rows: Record<string, string>[] }> {
  const wb = new (await excel()).Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = sheetName ? wb.getWorksheet(sheetName) : wb.worksheets[0];
  if (!ws) return { headers: [], rows: [] };
  const headers: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col - 1] = cellText(cell.value).trim()));
  const rows: Record<string, string>[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n === 1) return;
    const out: Record<string, string> = {};
    headers.forEach((h, i) => (out[h] = cellText(row.getCell(i + 1).value).trim()));
    if (Object.values(out).some((v) => v !== '')) rows.push(out);
  });
  return { headers, rows };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return v.result === undefined || v.result === null ? '' : String(v.result);
    return '';
  }
  return String(v);
}
