import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  BorderStyle,
  ShadingType,
} from 'docx';
import { ChartRun, type ChartRunOptions } from 'docx/charts';
import { columnWidths, type ChartBlock, type DocumentModel, type ProgressFn } from './model.ts';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
const FONT = 'Calibri';
const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
/** Table text, in points (as the PDF's tables). */
const TABLE_PT = 9;
/** A4 less 2 × 2.5 cm margins, in points. */
const TEXT_WIDTH_PT = (11906 - 2 * 1418) / 20;

/** Renders the model as a Word document (A4, headings as Word styles so the navigation pane works). */
export async function renderDocx(model: DocumentModel, progress?: ProgressFn): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
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
    else if (b.type === 'chart') children.push(new Paragraph({ keepNext: true, children: [new TextRun({ text: b.title, bold: true })], spacing: { before: 120, after: 80 } }), new Paragraph({ children: [chartRun(b)], spacing: { after: 200 } }));
    else if (b.type === 'figure')
      // Word gets the figure's description as text (the drawing itself is in the PDF).
      children.push(new Paragraph({ children: [new TextRun({ text: b.caption ?? '', bold: true }), ...(b.caption ? [new TextRun({ text: '', break: 1 })] : []), new TextRun({ text: b.alt, color: '555555' })], spacing: { after: 160 } }));
    else {
      if (b.caption) children.push(new Paragraph({ children: [new TextRun({ text: b.caption, bold: true })], spacing: { before: 120, after: 80 } }));
      // As in the PDF: no column narrower than its longest word (Calibri 9 pt estimated; 9 070 twips of text width).
      const total = TEXT_WIDTH_PT;
      const widths = columnWidths(b.columns, b.rows, total, (w, header) => w.length * TABLE_PT * (header ? 0.56 : 0.51), 12);
      const cell = (text: string, j: number, header: boolean) =>
        new TableCell({
          width: { size: Math.round((widths[j] / total) * 5000), type: WidthType.PERCENTAGE },
          borders: { top: border, bottom: border, left: border, right: border },
          shading: header ? { type: ShadingType.CLEAR, fill: 'E8EEF4', color: 'auto' } : undefined,
          children: [new Paragraph({ children: header ? [new TextRun({ text, bold: true, size: TABLE_PT * 2 })] : lines(text, undefined, TABLE_PT * 2) })],
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

/** Line breaks in text become breaks in the run (Word ignores "\n"). */
function lines(text: string, color?: string, size?: number): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, color, size }));
}

/**
 * A chart block as a native Word chart (its data in the embedded workbook, so "Edit data" works), described
 * for screen readers by the block's alt text.
 */
function chartRun(b: ChartBlock): ChartRun {
  const hex = (c: string) => c.replace('#', '').toUpperCase();
  const series = b.series.map((s) => ({ name: s.name, values: s.values, color: hex(s.color), ...(s.dashed && b.kind === 'line' ? { line: { color: hex(s.color), dash: 'dash' as const } } : {}) }));
  const percent = b.unit === '%' ? '0" %"' : '0';
  const common = {
    // The title stands above the chart as a paragraph of its own (in the text, for navigation).
    categories: b.categories,
    series,
    altText: { name: b.title, title: b.title, description: b.alt },
    font: { name: FONT },
    legend: { position: 'bottom' as const },
  };
  const pxWidth = 600;
  let options: ChartRunOptions;
  if (b.kind === 'line') {
    options = { ...common, type: 'line', markers: true, valueAxis: { minimum: 0, maximum: b.max, numberFormat: percent }, transformation: { width: pxWidth, height: 320 } };
  } else {
    const height = Math.max(180, 70 + b.categories.length * (b.kind === 'stackedBar' ? 34 : 18 * b.series.length + 14));
    options = {
      ...common,
      type: 'bar',
      stacking: b.kind === 'stackedBar' ? 'percent' : 'none',
      // Word draws the first category at the bottom: reversed, the order is the document's, and the value axis
      // crosses at the last category to stay below the bars.
      categoryAxis: { reverseOrder: true },
      valueAxis: { ...(b.kind === 'stackedBar' ? { minimum: 0, maximum: 1, numberFormat: '0%' } : { minimum: 0, maximum: b.max, numberFormat: percent }), crossesAt: 'maximum' },
      dataLabels: { value: true, numberFormat: b.kind === 'stackedBar' ? '0' : percent },
      transformation: { width: pxWidth, height },
    };
  }
  return new ChartRun(options);
}
