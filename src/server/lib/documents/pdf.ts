import { createRequire } from 'node:module';
import path from 'node:path';
import { chartLayout } from '../../../shared/charts.ts';
import { columnWidths, type DocumentModel, type FigureBlock, type ProgressFn } from './model.ts';

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('@fontsource/source-sans-3/package.json')), 'files');
const FONTS = { body: path.join(fontDir, 'source-sans-3-latin-400-normal.woff'), bold: path.join(fontDir, 'source-sans-3-latin-700-normal.woff') };
const SIZES = { 1: 18, 2: 14, 3: 12 } as const;
const MARGIN = 62;

/**
 * Renders the model as a tagged PDF (PDF/UA structure: headings, paragraphs, tables with header
 * cells; page numbers as artifacts), A4, with the bundled Source Sans 3 embedded.
 */
export async function renderPdf(model: DocumentModel, progress?: ProgressFn): Promise<Buffer> {
  // pdfkit is loaded on first use: it is large, and most processes never write a PDF (server memory, issue #12).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    pdfVersion: '1.7',
    subset: 'PDF/UA' as never,
    tagged: true,
    lang: model.lang,
    displayTitle: true,
    bufferPages: true,
    info: { Title: model.title, Author: model.organisation, Creator: 'Trygg', Subject: model.subtitle ?? model.title },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('body', FONTS.body);
  doc.registerFont('bold', FONTS.bold);
  doc.font('body').fontSize(11);

  // @types/pdfkit lags behind pdfkit 0.20 (closures as structure children, table cell fonts).
  const loose = doc as unknown as {
    struct(type: string, children?: () => void): PDFKit.PDFStructureElement;
  };
  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - MARGIN * 2;
  const text = (type: 'H1' | 'H2' | 'H3' | 'P' | 'Title', value: string, opts: { font?: 'body' | 'bold'; size?: number; color?: string; gap?: number } = {}) => {
    doc.font(opts.font ?? 'body').fontSize(opts.size ?? 11).fillColor(opts.color ?? '#000000');
    const el = loose.struct(type === 'Title' ? 'H1' : type, () => {
      doc.text(value, MARGIN, doc.y, { width });
    });
    root.add(el);
    el.end();
    if (opts.gap) doc.moveDown(opts.gap);
  };

  /**
   * Tables drawn by hand: pdfkit's own table measures every cell several times and is ~7× slower on
   * long tables. Rows never split; on a new page the header row is repeated as an artifact (so that a
   * screen reader reads it once); borders and shading are artifacts too.
   */
  function drawTable(columns: { header: string; width?: number }[], rows: string[][]) {
    const pad = 3;
    // No heading, number or word broken mid-word: each column at least as wide as its longest word; a wide
    // table takes a smaller size (down to 7 pt) before it lets a long word break.
    const measured = new Map<string, number>();
    const measureWord = (w: string, header: boolean) => {
      const key = `${header ? 'b' : 'r'}${w}`;
      let v = measured.get(key);
      if (v === undefined) {
        v = doc.font(header ? 'bold' : 'body').fontSize(1).widthOfString(w);
        measured.set(key, v);
      }
      return v;
    };
    /**
     * Lines broken between words only (pdfkit would also break inside "2019-03-06" at a hyphen): words are
     * packed greedily; a word wider than the column (only in a table too wide for its words) is left to pdfkit.
     */
    const wrap = (text: string, w: number, header: boolean) => {
      // Word widths are measured once per table (cached, at 1 pt) and summed with the spaces between them.
      const space = measureWord(' ', header) * size;
      return text
        .split('\n')
        .map((para) => {
          const lines: string[] = [];
          let line = '';
          let lineWidth = 0;
          for (const word of para.split(' ').filter(Boolean)) {
            const ww = measureWord(word, header) * size;
            if (line && lineWidth + space + ww > w - 0.5) {
              lines.push(line);
              line = word;
              lineWidth = ww;
            } else {
              line = line ? `${line} ${word}` : word;
              lineWidth = line === word ? ww : lineWidth + space + ww;
            }
          }
          lines.push(line);
          return lines.join('\n');
        })
        .join('\n');
    };
    let size = 9;
    let widths = columnWidths(columns, rows, width, (w, h) => measureWord(w, h) * size, 2 * pad + 1);
    while (!widths.fits && size > 7) {
      size -= 0.5;
      widths = columnWidths(columns, rows, width, (w, h) => measureWord(w, h) * size, 2 * pad + 1);
    }
    const bottom = () => doc.page.height - MARGIN;
    const tableEl = doc.struct('Table');
    root.add(tableEl);
    // Wrapped before the font is set: measuring a word not seen yet changes the document's font size.
    const wrapped = (cells: string[], header: boolean) => cells.map((c, j) => wrap(c, widths[j] - 2 * pad, header) || ' ');
    const measure = (cells: string[], header: boolean) => {
      const lines = wrapped(cells, header);
      doc.font(header ? 'bold' : 'body').fontSize(size);
      return Math.max(...lines.map((c, j) => doc.heightOfString(c, { width: widths[j] - 2 * pad }))) + 2 * pad;
    };
    const paint = (raw: string[], header: boolean, h: number, tagged: PDFKit.PDFStructureElement | null) => {
      const cells = wrapped(raw, header);
      const y = doc.y;
      let x = MARGIN;
      doc.markContent('Artifact');
      for (const w of widths) {
        if (header) doc.rect(x, y, w, h).fill('#E8EEF4');
        doc.rect(x, y, w, h).lineWidth(0.5).stroke('#999999');
        x += w;
      }
      doc.endMarkedContent();
      doc.fillColor('#000000').font(header ? 'bold' : 'body').fontSize(size);
      x = MARGIN;
      for (const [j, c] of cells.entries()) {
        const draw = () => void doc.text(c, x + pad, y + pad, { width: widths[j] - 2 * pad });
        if (tagged) {
          const cell = loose.struct(header ? 'TH' : 'TD', draw);
          tagged.add(cell);
          cell.end();
        } else {
          doc.markContent('Artifact');
          draw();
          doc.endMarkedContent();
        }
        x += widths[j];
      }
      doc.x = MARGIN;
      doc.y = y + h;
    };
    const headers = columns.map((c) => c.header);
    const headerHeight = measure(headers, true);
    const row = (cells: string[], header: boolean, first = false) => {
      const h = header ? headerHeight : measure(cells, false);
      if (doc.y + h > bottom() && !first) {
        doc.addPage();
        paint(headers, true, headerHeight, null);
      }
      const tr = doc.struct('TR');
      tableEl.add(tr);
      paint(cells, header, h, tr);
      tr.end();
    };
    if (doc.y + headerHeight * 2 > bottom()) doc.addPage();
    row(headers, true, true);
    for (const r of rows) row(r, false);
    tableEl.end();
  }

  /** A vector figure as one tagged Figure with alt text, scaled to the text width; on a new page if it does not fit. */
  function drawFigure(f: FigureBlock) {
    const scale = Math.min(width / f.width, (doc.page.height - MARGIN * 2 - 40) / f.height);
    const h = f.height * scale;
    if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
    const x0 = MARGIN;
    const y0 = doc.y;
    const el = doc.struct('Figure', { alt: f.alt }, () => {
      doc.save();
      doc.translate(x0, y0).scale(scale);
      for (const s of f.shapes) {
        doc.fillOpacity(s.kind !== 'text' && s.kind !== 'line' ? (s.opacity ?? 1) : 1).strokeOpacity(1);
        if (s.kind === 'polygon') {
          for (const ring of s.rings) ring.forEach(([x, y], i) => (i === 0 ? doc.moveTo(x, y) : doc.lineTo(x, y)));
          doc.closePath();
          doc.lineWidth((s.lineWidth ?? 1) / scale);
          if (s.fill && s.stroke) doc.fillAndStroke(s.fill, s.stroke, 'even-odd');
          else if (s.fill) doc.fill(s.fill, 'even-odd');
          else doc.stroke(s.stroke ?? '#000000');
        } else if (s.kind === 'rect') {
          doc.rect(s.x, s.y, s.w, s.h).lineWidth((s.lineWidth ?? 0.5) / scale);
          if (s.fill && s.stroke) doc.fillAndStroke(s.fill, s.stroke);
          else if (s.fill) doc.fill(s.fill);
          else doc.stroke(s.stroke ?? '#000000');
        } else if (s.kind === 'line') {
          s.points.forEach(([x, y], i) => (i === 0 ? doc.moveTo(x, y) : doc.lineTo(x, y)));
          doc.lineWidth((s.lineWidth ?? 1) / scale);
          if (s.dash) doc.dash(3 / scale, { space: 2 / scale });
          doc.stroke(s.stroke);
          if (s.dash) doc.undash();
        } else if (s.kind === 'circle') {
          doc.circle(s.x, s.y, s.r).lineWidth(0.5 / scale);
          if (s.fill && s.stroke) doc.fillAndStroke(s.fill, s.stroke);
          else if (s.fill) doc.fill(s.fill);
          else doc.stroke(s.stroke ?? '#000000');
        } else {
          doc.font(s.bold ? 'bold' : 'body').fontSize(s.size ?? 8).fillColor(s.color ?? '#000000');
          const w = s.anchor && s.anchor !== 'start' ? doc.widthOfString(s.text) : 0;
          doc.text(s.text, s.anchor === 'end' ? s.x - w : s.anchor === 'middle' ? s.x - w / 2 : s.x, s.y, { lineBreak: false });
        }
      }
      doc.restore();
    });
    root.add(el);
    el.end();
    doc.fillOpacity(1).fillColor('#000000');
    doc.x = MARGIN;
    doc.y = y0 + h + 4;
    if (f.caption) text('P', f.caption, { color: '#444444', size: 9, gap: 0.8 });
  }

  // Cover page.
  text('P', model.organisation, { color: '#444444', size: 11, gap: 6 });
  text('Title', model.title, { font: 'bold', size: 24, gap: 0.5 });
  if (model.subtitle) text('P', model.subtitle, { size: 14, gap: 2 });
  for (const m of model.meta) text('P', `${m.label}: ${m.value}`, { size: 11, gap: 0.2 });
  doc.addPage();

  const total = model.blocks.length || 1;
  for (const [i, b] of model.blocks.entries()) {
    if (b.type === 'heading') {
      if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
      doc.moveDown(b.level === 1 ? 0.5 : 0.3);
      text(`H${b.level}`, b.text, { font: 'bold', size: SIZES[b.level], gap: 0.3 });
    } else if (b.type === 'paragraph') text('P', b.text, { color: b.muted ? '#555555' : '#000000', gap: 0.5 });
    else if (b.type === 'pageBreak') doc.addPage();
    else if (b.type === 'figure') drawFigure(b);
    else if (b.type === 'chart') {
      // The title with the chart: a new page first if the two would be parted.
      const drawing = chartLayout(b);
      if (doc.y + 20 + drawing.height * Math.min(1, width / drawing.width) > doc.page.height - MARGIN) doc.addPage();
      text('P', b.title, { font: 'bold', gap: 0.3 });
      drawFigure({ type: 'figure', alt: b.alt, ...drawing });
      doc.moveDown(0.8);
    }
    else {
      if (b.caption) text('P', b.caption, { font: 'bold', gap: 0.2 });
      drawTable(b.columns, b.rows);
      doc.font('body').fontSize(11);
      doc.moveDown(0.8);
    }
    if (progress && i % 200 === 0) await progress(i / total);
  }

  // Page numbers, as artifacts so that screen readers skip them.
  const range = doc.bufferedPageRange();
  for (let p = range.start; p < range.start + range.count; p++) {
    doc.switchToPage(p);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font('body').fontSize(8).fillColor('#555555');
    doc.text(`${model.footer ?? model.title}   ${p + 1} (${range.count})`, MARGIN, doc.page.height - MARGIN / 2 - 6, { width, align: 'right', lineBreak: false });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await ended;
  if (progress) await progress(1);
  return Buffer.concat(chunks);
}
