import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { officeFile } from '../../../test/helpers/office.ts';
import { checkKind, sniff } from './uploads.ts';
import { zipEntries } from './zip.ts';

describe('sniffing Office files', () => {
  it('knows a DOCX and an XLSX by the parts they hold, stored or deflated', async () => {
    for (const compression of ['STORE', 'DEFLATE'] as const) {
      expect(sniff(await officeFile('docx', { compression }))).toBe('docx');
      expect(sniff(await officeFile('xlsx', { compression }))).toBe('xlsx');
    }
    // A workbook as Excel writers make it (exceljs, as Trygg's own exports).
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Åtgärder').addRow(['Trygghetsvandring']);
    expect(sniff(Buffer.from(await wb.xlsx.writeBuffer()))).toBe('xlsx');
  });

  it('a ZIP is not a DOCX or XLSX because its bytes mention word/ or xl/, nor without [Content_Types].xml', async () => {
    expect(sniff(await officeFile('zip-naming-word'))).toBe('zip');
    expect(sniff(await officeFile('zip-naming-word', { compression: 'STORE' }))).toBe('zip');
    expect(sniff(await officeFile('docx-without-content-types'))).toBe('zip');
    // Not a readable archive at all: a ZIP signature and text.
    expect(sniff(Buffer.from('PK\u0003\u0004word/document.xml xl/workbook.xml [Content_Types].xml'))).toBe('zip');
    // A real archive cut short loses its directory.
    const docx = await officeFile('docx');
    expect(sniff(docx.subarray(0, docx.length - 30))).toBe('zip');
  });

  it('macro-enabled files are told apart: by content type (.docm, .xlsm) or by a VBA project inside', async () => {
    expect(sniff(await officeFile('docm'))).toBe('office-macro');
    expect(sniff(await officeFile('xlsm'))).toBe('office-macro');
    expect(sniff(await officeFile('docx-with-vba'))).toBe('office-macro');
    expect(() => checkKind('office-macro', ['docx'])).toThrow(expect.objectContaining({ code: 'FILE_MACRO_NOT_ALLOWED', status: 415 }));
    expect(() => checkKind('zip', ['docx'])).toThrow(expect.objectContaining({ code: 'FILE_TYPE_NOT_ALLOWED', status: 415 }));
    expect(() => checkKind('docx', ['docx'])).not.toThrow();
  });

  it('reads the central directory, and nothing out of bounds', async () => {
    const entries = zipEntries(await officeFile('docx'))!;
    expect(entries.map((e) => e.name).sort()).toEqual(['[Content_Types].xml', 'word/', 'word/document.xml']);
    // A directory that claims more entries than there are, or points past the end, is unreadable.
    const docx = await officeFile('docx');
    const eocd = docx.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const more = Buffer.from(docx);
    more.writeUInt16LE(50, eocd + 10);
    expect(zipEntries(more)).toBeUndefined();
    const past = Buffer.from(docx);
    past.writeUInt32LE(docx.length + 100, eocd + 16);
    expect(zipEntries(past)).toBeUndefined();
    expect(zipEntries(Buffer.alloc(10))).toBeUndefined();
  });
});
