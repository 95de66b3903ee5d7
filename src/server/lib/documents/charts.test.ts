import { describe, expect, it } from 'vitest';
import { chartLayout, textWidth, type ChartBlock } from '../../../shared/charts.ts';
import { columnWidths } from './model.ts';

const measure = (w: string) => textWidth(w, 9);

describe('table column widths', () => {
  it('follow the weights when every word fits', () => {
    const widths = columnWidths([{ header: 'A', width: 1 }, { header: 'B', width: 3 }], [['x', 'y']], 400, measure, 7);
    expect([...widths]).toEqual([100, 300]);
    expect(widths.fits).toBe(true);
  });

  it('keep headings, numbers and dates whole when the longest words cannot all fit, letting only long words in running text break', () => {
    const columns = [{ header: 'Beslut', width: 1 }, { header: 'Text', width: 1 }];
    const widths = columnWidths(columns, [['KS 2019-03-06 § 77', 'Informationssäkerhetsarbetsgruppsmöte']], 100, measure, 7);
    expect(widths.fits).toBe(false);
    expect(widths[0]).toBeGreaterThanOrEqual(measure('2019-03-06') + 7);
    expect(widths[0] + widths[1]).toBeCloseTo(100, 6);
  });

  it('never make a column narrower than its longest word, taking the room from the wide ones', () => {
    const columns = [{ header: 'Nr', width: 0.6 }, { header: 'Fokusområde', width: 3 }, { header: 'Genomförda', width: 0.3 }, { header: 'Försenade', width: 0.3 }];
    const widths = columnWidths(columns, [['2', 'Förebyggande arbete', '1', '0']], 300, measure, 7);
    expect(widths.reduce((s, w) => s + w, 0)).toBeCloseTo(300, 6);
    expect(widths[2]).toBeGreaterThanOrEqual(measure('Genomförda') + 7);
    expect(widths[3]).toBeGreaterThanOrEqual(measure('Försenade') + 7);
    expect(widths[1]).toBeGreaterThan(widths[0]);
  });

  it('scale the minimums together only when even they do not fit', () => {
    const widths = columnWidths([{ header: 'Genomförandegrad' }, { header: 'Måluppfyllelse' }], [], 50, measure, 7);
    expect(widths.reduce((s, w) => s + w, 0)).toBeCloseTo(50, 6);
  });
});

describe('chart layout', () => {
  const bar: ChartBlock = {
    type: 'chart',
    kind: 'bar',
    title: 'Måluppfyllelse',
    alt: 'x',
    categories: ['2. Förebyggande arbete', '3. Informationssäkerhet'],
    series: [{ name: 'Måluppfyllelse', values: [64, null], labels: ['64 %', '–'], color: '#1F5F8B' }],
    max: 100,
    unit: '%',
  };

  it('draws a bar in proportion to its value, labels it as the document writes it, and leaves a missing value empty', () => {
    const d = chartLayout(bar);
    // Legend keys stand at the left edge; bars start at the value axis.
    const bars = d.shapes.filter((s) => s.kind === 'rect' && s.x > 100);
    expect(bars).toHaveLength(1);
    const axis = d.shapes.find((s) => s.kind === 'line' && s.stroke === '#666666')!;
    const hundred = d.shapes.find((s) => s.kind === 'text' && s.text === '100 %')!;
    if (bars[0].kind !== 'rect' || axis.kind !== 'line' || hundred.kind !== 'text') throw new Error('shapes');
    expect(bars[0].w / (hundred.x - axis.points[0][0])).toBeCloseTo(0.64, 6);
    const texts = d.shapes.filter((s) => s.kind === 'text').map((s) => (s.kind === 'text' ? s.text : ''));
    expect(texts).toEqual(expect.arrayContaining(['64 %', '–', '2. Förebyggande arbete', '100 %']));
    // Everything inside the drawing.
    for (const s of d.shapes) if (s.kind === 'rect') expect(s.x + s.w).toBeLessThanOrEqual(d.width);
  });

  it('draws a line per series with a point per value, and leaves a gap for a missing one', () => {
    const d = chartLayout({ ...bar, kind: 'line', categories: ['T1', 'T2', 'T3'], series: [{ name: 'Mål 2.1', values: [10, null, 30], color: '#1F5F8B' }] });
    expect(d.shapes.filter((s) => s.kind === 'circle')).toHaveLength(2);
    // Two single points, no line across the gap.
    expect(d.shapes.filter((s) => s.kind === 'line' && s.stroke === '#1F5F8B')).toHaveLength(0);
  });

  it('stacks the shares of each category to the full width', () => {
    const d = chartLayout({ ...bar, kind: 'stackedBar', categories: ['A'], series: [{ name: 'Klar', values: [1], color: '#2E7D32' }, { name: 'Pågår', values: [3], color: '#1F5F8B' }] });
    const segs = d.shapes.filter((s) => s.kind === 'rect' && s.h === 16);
    expect(segs).toHaveLength(2);
    const [a, b] = segs.map((s) => (s.kind === 'rect' ? s.w : 0));
    expect(b / a).toBeCloseTo(3, 6);
  });
});
