import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { officeFile } from '../../../test/helpers/office.ts';
import Fastify from 'fastify';
import { checkKind, readUpload, registerUploads, sniff } from './uploads.ts';
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

describe('registerUploads (stream mode only)', () => {
  /** A multipart/form-data body with one file. */
  const formWith = (name: string, data: Buffer) => {
    const boundary = 'trygg-test-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  };

  it("leaves out exactly the plugin's onRequest and onResponse hooks (disk mode's clean-up), and uploads still arrive", async () => {
    const app = Fastify();
    const leftOut = await registerUploads(app, { limits: { fileSize: 1024, files: 1 } });
    expect(leftOut.sort()).toEqual(['onRequest', 'onResponse']);
    app.post('/up', async (req) => {
      const file = await readUpload(req, { maxBytes: 1024, accept: ['csv'] });
      return { name: file.filename, kind: file.kind, text: file.data.toString('utf8') };
    });
    app.get('/plain', async () => ({ ok: true }));
    await app.ready();
    const route = app.printRoutes({ includeHooks: true, commonPrefix: false });
    expect(route).not.toMatch(/onRequest|onResponse/);
    const res = await app.inject({ method: 'POST', url: '/up', ...formWith('a.csv', Buffer.from('datum;händelse\n2026-01-01;brand\n')) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'a.csv', kind: 'csv', text: 'datum;händelse\n2026-01-01;brand\n' });
    const tooLarge = await app.inject({ method: 'POST', url: '/up', ...formWith('b.csv', Buffer.alloc(4096, 'a')) });
    expect(tooLarge.statusCode).toBe(413);
    await app.close();
  });

  it('refuses disk mode, so no temporary file can be left behind without its clean-up hooks', async () => {
    const app = Fastify();
    await registerUploads(app, {});
    let refused: unknown;
    app.post('/disk', async (req) => {
      try {
        await req.saveRequestFiles();
      } catch (err) {
        refused = err;
      }
      return {};
    });
    await app.inject({ method: 'POST', url: '/disk', ...formWith('a.csv', Buffer.from('x')) });
    expect(String(refused)).toMatch(/disk mode/);
    await app.close();
  });
});
