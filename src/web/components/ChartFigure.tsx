import { useId } from 'react';
import { chartLayout, type ChartBlock } from '../../shared/charts.ts';

/**
 * A council document's chart on the web: the same shapes the PDF draws (src/shared/charts.ts), as an SVG
 * named by the chart's title and described by its alt text, which holds every value in words.
 */
export function ChartFigure({ chart }: { chart: ChartBlock }) {
  const id = useId();
  const d = chartLayout(chart);
  return (
    <figure className="chart-figure" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} className="strong">
        {chart.title}
      </figcaption>
      <svg viewBox={`0 0 ${d.width} ${d.height}`} width="100%" role="img" aria-label={chart.alt} style={{ maxWidth: `${d.width * 1.6}px`, display: 'block' }}>
        {d.shapes.map((s, i) => {
          switch (s.kind) {
            case 'rect':
              return <rect key={i} x={s.x} y={s.y} width={s.w} height={s.h} fill={s.fill ?? 'none'} stroke={s.stroke} strokeWidth={s.lineWidth ?? 0.5} opacity={s.opacity} />;
            case 'line':
              return <polyline key={i} points={s.points.map((p) => p.join(',')).join(' ')} fill="none" stroke={s.stroke} strokeWidth={s.lineWidth ?? 1} strokeDasharray={s.dash ? '3 2' : undefined} />;
            case 'circle':
              return <circle key={i} cx={s.x} cy={s.y} r={s.r} fill={s.fill ?? 'none'} stroke={s.stroke} opacity={s.opacity} />;
            case 'polygon':
              return (
                <path
                  key={i}
                  d={s.rings.map((r) => `M${r.map((p) => p.join(',')).join('L')}Z`).join(' ')}
                  fill={s.fill ?? 'none'}
                  fillRule="evenodd"
                  stroke={s.stroke}
                  strokeWidth={s.lineWidth ?? 1}
                  opacity={s.opacity}
                />
              );
            case 'text': {
              const size = s.size ?? 8;
              return (
                <text key={i} x={s.x} y={s.y + size * 0.82} fontSize={size} fill={s.color ?? '#000000'} textAnchor={s.anchor ?? 'start'} fontWeight={s.bold ? 700 : undefined}>
                  {s.text}
                </text>
              );
            }
          }
        })}
      </svg>
    </figure>
  );
}
