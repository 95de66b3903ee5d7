/**
 * CSV as Swedish Excel writes and reads it: semicolon-separated, UTF-8 with BOM, CRLF, quotes doubled.
 * The parser also takes comma- or tab-separated files (the delimiter is guessed from the header line).
 */
/**
 * Formula injection: a spreadsheet opening the file runs a cell that begins with =, +, - or @ (or a tab or
 * carriage return before one) as a formula — `=HYPERLINK(…)` in an action's title would become a link.
 * Such text gets a leading apostrophe, which the spreadsheet shows as text. Leading apostrophes already
 * there count too, so that unneutraliseCell gives back exactly the text that was written.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
/** The text neutraliseCell was given (for reading Trygg's own exports back). */
export function unneutraliseCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** Every CSV file Trygg writes goes through here: text cells are neutralised (numbers are numbers, never formulas). */
export function toCsv(headers: string[], rows: (string | number | null | undefined)[][]): Buffer {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : neutraliseCell(v);
    return /[";\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [headers, ...rows].map((r) => r.map(cell).join(';'));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export class CsvError extends Error {}

export function parseCsv(input: Buffer | string): { headers: string[]; rows: Record<string, string>[] } {
  let text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw new CsvError('binary');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', ',', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new CsvError('unterminated quote');
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  const [head = [], ...body] = records.filter((r) => r.some((c) => c.trim() !== ''));
  const headers = head.map((h) => unneutraliseCell(h).trim());
  return { headers, rows: body.map((r) => Object.fromEntries(headers.map((h, i) => [h, unneutraliseCell(r[i] ?? '').trim()]))) };
}
