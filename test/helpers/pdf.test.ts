import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { pdfText } from './pdf.ts';

function makePdf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

describe('pdfText (reads a PDF back without a system program)', () => {
  it('returns the text of every page in order, Swedish letters kept, whitespace folded to single spaces', async () => {
    const pdf = await makePdf((doc) => {
      doc.text('Åtgärder för trygghet — fiffig offentlighet.');
      doc.text('Ärende KS 2026/0001,   § 77');
      doc.addPage().text('Sida två: 2025-05-01–2025-05-31');
    });
    expect(await pdfText(pdf)).toBe('Åtgärder för trygghet — fiffig offentlighet. Ärende KS 2026/0001, § 77 Sida två: 2025-05-01–2025-05-31');
  });

  it('keeps table cells drawn on one line apart, and words drawn in pieces together', async () => {
    const pdf = await makePdf((doc) => {
      doc.text('Skadegörelse', 50, 100, { lineBreak: false });
      doc.text('6', 200, 100, { lineBreak: false });
      doc.text('+5 (+500 %)', 260, 100, { lineBreak: false });
      doc.text('Kommun', 50, 130, { continued: true }).text('styrelsen');
    });
    expect(await pdfText(pdf)).toBe('Skadegörelse 6 +5 (+500 %) Kommunstyrelsen');
  });
});
