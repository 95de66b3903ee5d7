import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, toCsv } from './csv.ts';

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
});
