import type { ReactNode } from 'react';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { followUp } from '../api.ts';
import type { DocumentModelT } from '../../../../shared/schemas/program.ts';
import { QueryState } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { ChartFigure } from '../../../components/ChartFigure.tsx';
import { roundsQuery } from './FollowUp.tsx';

/**
 * The board report of a round as a printable page. It renders the server's document model — the very
 * content of the DOCX/PDF, and for a closed round its frozen snapshot — so the three never disagree.
 */
export function FollowUpPrintPage() {
  const { roundId } = useParams({ from: '/app/uppfoljning/$roundId/utskrift' });
  const { t } = useTranslation();
  const rounds = useQuery(roundsQuery());
  const round = rounds.data?.items.find((r) => r.id === roundId);
  const doc = useQuery({ queryKey: ['round-document', roundId], queryFn: () => followUp.document(roundId) });
  const error = rounds.error ?? doc.error;
  if (!doc.data || rounds.isPending || error) return <QueryState isPending={!error} error={error} />;
  const d = doc.data;

  return (
    <article className="print-page" lang={d.lang}>
      {round && (
        <p className="no-print breadcrumb">
          <Link to="/uppfoljning/$roundId" params={{ roundId }}>
            {t('followUp.roundTitle', { name: round.name })}
          </Link>
        </p>
      )}
      <div className="no-print toolbar">
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </div>
      <p className="print-sender">{d.organisation}</p>
      <PageTitle title={d.title}>{d.title}</PageTitle>
      {d.subtitle && <p className="lead">{d.subtitle}</p>}
      <dl className="dl">
        {d.meta.map((m) => (
          <div key={m.label} className="dl-row">
            <dt>{m.label}</dt>
            <dd>{m.value}</dd>
          </div>
        ))}
      </dl>
      <Blocks blocks={d.blocks} />
    </article>
  );
}

/** Headings one level below the page title; tables named by their caption, or by the heading they stand under. */
function Blocks({ blocks }: { blocks: DocumentModelT['blocks'] }) {
  const captionCount = new Map<string, number>();
  for (const b of blocks) if (b.type === 'table' && b.caption) captionCount.set(b.caption, (captionCount.get(b.caption) ?? 0) + 1);
  let lastHeading = '';
  const out: ReactNode[] = [];
  blocks.forEach((b, i) => {
    if (b.type === 'heading') {
      lastHeading = b.text;
      const H = (['h2', 'h3', 'h4'] as const)[b.level - 1];
      out.push(<H key={i}>{b.text}</H>);
    } else if (b.type === 'paragraph') out.push(<p key={i} className={b.muted ? 'muted pre-line' : 'pre-line'}>{b.text}</p>);
    else if (b.type === 'pageBreak') out.push(<div key={i} className="page-break" aria-hidden="true" />);
    else if (b.type === 'chart') out.push(<ChartFigure key={i} chart={b} />);
    else {
      const name = b.caption ? ((captionCount.get(b.caption) ?? 0) > 1 ? `${b.caption}: ${lastHeading}` : b.caption) : lastHeading;
      out.push(<PrintTable key={i} caption={name} head={b.columns.map((c) => c.header)} rows={b.rows} showCaption={!!b.caption} />);
    }
  });
  return <>{out}</>;
}

function PrintTable({ caption, head, rows, showCaption }: { caption: string; head: string[]; rows: string[][]; showCaption: boolean }) {
  return (
    <div className="table-wrap print-table" tabIndex={0} role="region" aria-label={caption}>
      <table className="table">
        <caption className={showCaption ? 'table-caption' : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((c, j) => (
                <td key={j} className="pre-line">
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
