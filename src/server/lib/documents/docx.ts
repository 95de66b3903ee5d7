import type * as Docx from 'docx';
import type { DocumentModel, ProgressFn } from './model.ts';

const FONT = 'Calibri';

/** Renders the model as a Word document (A4, headings as Word styles so the navigation pane works). */
export async function renderDocx(model: DocumentModel, progress?: ProgressFn): Promise<Buffer> {
  // docx is loaded on first use: most processes never write a Word document (server memory, issue #12).
  const docx = await import('docx');
  const { AlignmentType, Document, Footer, HeadingLevel, Packer, PageBreak, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, BorderStyle, ShadingType } = docx;
  const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
  /** Line breaks in text become breaks in the run (Word ignores "\n"). */
  const lines = (text: string, color?: string): Docx.TextRun[] =>
    text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, color }));
  const children: (Docx.Paragraph | Docx.Table)[] = [
    new Paragraph({ children: [new TextRun({ text: model.organisation, size: 22, color: '444444' })], spacing: { after: 1200 } }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: model.title })] }),
    ...(model.subtitle ? [new Paragraph({ children: [new TextRun({ text: model.subtitle, size: 28 })], spacing: { after: 480 } })] : []),
    ...model.meta.map((m) => new Paragraph({ children: [new TextRun({ text: `${m.label}: `, bold: true }), new TextRun({ text: m.value })] })),
    new Paragraph({ children: [new PageBreak()] }),
  ];
  const total = model.blocks.length || 1;
  for (const [i, b] of model.blocks.entries()) {
    if (b.type === 'heading') children.push(new Paragraph({ heading: HEADINGS[b.level], children: [new TextRun(b.text)] }));
    else if (b.type === 'paragraph')
      children.push(new Paragraph({ children: lines(b.text, b.muted ? '555555' : undefined), spacing: { after: 160 } }));
    else if (b.type === 'pageBreak') children.push(new Paragraph({ children: [new PageBreak()] }));
    else if (b.type === 'figure')
      // Word gets the figure's description as text (the drawing itself is in the PDF).
      children.push(new Paragraph({ children: [new TextRun({ text: b.caption ?? '', bold: true }), ...(b.caption ? [new TextRun({ text: '', break: 1 })] : []), new TextRun({ text: b.alt, color: '555555' })], spacing: { after: 160 } }));
    else {
      if (b.caption) children.push(new Paragraph({ children: [new TextRun({ text: b.caption, bold: true })], spacing: { before: 120, after: 80 } }));
      const widths = b.columns.map((c) => c.width ?? 1);
      const sum = widths.reduce((s, w) => s + w, 0);
      const cell = (text: string, j: number, header: boolean) =>
        new TableCell({
          width: { size: Math.round((widths[j] / sum) * 5000), type: WidthType.PERCENTAGE },
          borders: { top: border, bottom: border, left: border, right: border },
          shading: header ? { type: ShadingType.CLEAR, fill: 'E8EEF4', color: 'auto' } : undefined,
          children: [new Paragraph({ children: header ? [new TextRun({ text, bold: true })] : lines(text) })],
        });
      children.push(
        new Table({
          width: { size: 5000, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, children: b.columns.map((c, j) => cell(c.header, j, true)) }),
            ...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, j) => cell(v, j, false)) })),
          ],
        }),
        new Paragraph({ text: '' }),
      );
    }
    if (progress && i % 200 === 0) await progress(i / total / 2);
  }
  const doc = new Document({
    creator: 'Trygg',
    title: model.title,
    description: model.subtitle,
    styles: { default: { document: { run: { font: FONT, size: 22 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1418, bottom: 1418, left: 1418, right: 1418 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [new TextRun({ text: `${model.footer ?? model.title}    ` , size: 18, color: '555555' }), new TextRun({ children: [PageNumber.CURRENT], size: 18 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  const buf = await Packer.toBuffer(doc);
  if (progress) await progress(1);
  return buf;
}
