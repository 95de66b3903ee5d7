import type { ReactNode } from 'react';
import { Link, useParams } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { followUp, planActions, programs as programApi, type ReportT } from '../api/endpoints.ts';
import { QueryState } from '../components/Feedback.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { usePercent } from '../components/Progress.tsx';
import { roundsQuery } from './FollowUp.tsx';

/**
 * The board report of a round as a printable page: the same parts as the DOCX/PDF (meta, summary per
 * focus area with roll-up, goals, a table of actions, one appendix per organisation).
 */
export function FollowUpPrintPage() {
  const { roundId } = useParams({ from: '/app/uppfoljning/$roundId/utskrift' });
  const { t } = useTranslation();
  const pct = usePercent();
  const rounds = useQuery(roundsQuery());
  const round = rounds.data?.items.find((r) => r.id === roundId);
  const programId = round?.programId ?? '';
  const program = useQuery({ queryKey: ['program', programId], queryFn: () => programApi.get(programId), enabled: !!programId });
  const rollup = useQuery({ queryKey: ['rollup', programId, {}], queryFn: () => programApi.rollup(programId, {}), enabled: !!programId });
  const actions = useQuery({ queryKey: ['actions', programId], queryFn: () => planActions.list({ programId, limit: 5000 }), enabled: !!programId });
  const reports = useQuery({ queryKey: ['reports', { roundId, state: '' }], queryFn: () => followUp.reports({ roundId }) });
  const pending = rounds.isPending || program.isPending || rollup.isPending || actions.isPending || reports.isPending;
  const error = rounds.error ?? program.error ?? rollup.error ?? actions.error ?? reports.error;
  if (pending || error || !round || !program.data || !rollup.data || !actions.data || !reports.data)
    return <QueryState isPending={!error} error={error} />;

  const p = program.data;
  const r = rollup.data;
  const goalKey = new Map<string, string>();
  for (const f of p.focusAreas) for (const g of f.goals) goalKey.set(g.id, `${f.number}.${g.number}`);
  const actionById = new Map(actions.data.items.map((a) => [a.id, a]));
  const status = (s: string | null | undefined) => (s ? t(`actionStatus.${s}`) : '–');
  const health = (h: string) => t(`health.${h}`);
  const sorted = [...reports.data.items].sort((a, b) => a.organisationName.localeCompare(b.organisationName, 'sv') || a.actionTitle.localeCompare(b.actionTitle, 'sv'));
  const submitted = sorted.filter((x) => x.state === 'submitted').length;
  const byOrg = new Map<string, ReportT[]>();
  for (const x of sorted) byOrg.set(x.organisationName, [...(byOrg.get(x.organisationName) ?? []), x]);
  const title = t('print.title', { round: round.name });

  return (
    <article className="print-page">
      <p className="no-print breadcrumb">
        <Link to="/uppfoljning/$roundId" params={{ roundId }}>
          {t('followUp.roundTitle', { name: round.name })}
        </Link>
      </p>
      <div className="no-print toolbar">
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </div>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="lead">{p.title}</p>
      <dl className="dl">
        <dt>{t('print.program')}</dt>
        <dd>{p.title}</dd>
        {p.decisionRef && (
          <>
            <dt>{t('print.decision')}</dt>
            <dd>{`${p.adoptedBy ?? ''} ${p.decisionRef}`.trim()}</dd>
          </>
        )}
        <dt>{t('print.round')}</dt>
        <dd>{round.name}</dd>
        <dt>{t('print.deadline')}</dt>
        <dd>{round.deadline}</dd>
        <dt>{t('print.roundStatus')}</dt>
        <dd>{round.status === 'closed' ? t('print.closed', { date: round.closedAt?.slice(0, 10) ?? '' }) : t('print.open')}</dd>
        <dt>{t('print.submittedShare')}</dt>
        <dd>{t('print.ofTotal', { done: submitted, total: sorted.length })}</dd>
      </dl>

      <section aria-labelledby="print-summary">
        <h2 id="print-summary">{t('print.summary')}</h2>
        <p>
          {t('print.summaryText', { progress: pct(r.progress), health: health(r.health), actions: r.actionCount, done: r.statusCounts.done, delayed: r.statusCounts.delayed })}
        </p>
        <PrintTable
          caption={t('print.focusAreas')}
          head={['col_number', 'col_focusArea', 'col_progress', 'col_health', 'col_actions', 'col_done', 'col_delayed'].map((k) => t(`print.${k}`))}
          rows={r.focusAreas.map((f) => [String(f.number), f.title, pct(f.progress), health(f.health), String(f.actionCount), String(f.statusCounts.done), String(f.statusCounts.delayed)])}
        />
        {r.focusAreas.map((f) => (
          <section key={f.id} aria-labelledby={`print-fa-${f.id}`}>
            <h3 id={`print-fa-${f.id}`}>{`${f.number}. ${f.title}`}</h3>
            <PrintTable
              caption={`${t('print.goals')}: ${f.number}. ${f.title}`}
              head={['col_number', 'col_goal', 'col_progress', 'col_health', 'col_actions'].map((k) => t(`print.${k}`))}
              rows={f.goals.map((g) => [`${f.number}.${g.number}`, g.title, pct(g.progress), health(g.health), String(g.actionCount)])}
            />
          </section>
        ))}
      </section>

      <section aria-labelledby="print-actions" className="page-break">
        <h2 id="print-actions">{t('print.actions')}</h2>
        <PrintTable
          caption={t('print.actions')}
          head={['col_goal', 'col_action', 'col_responsible', 'col_status', 'col_completion', 'col_report', 'col_comment'].map((k) => t(`print.${k}`))}
          rows={sorted.map((x) => {
            const a = actionById.get(x.actionId);
            const comment = [x.done, x.nextSteps ? `${t('print.col_nextSteps')}: ${x.nextSteps}` : null].filter(Boolean).join('\n');
            return [
              a ? (goalKey.get(a.goalId) ?? '') : '',
              x.actionTitle,
              x.organisationName,
              status(x.actionStatus ?? a?.status),
              pct(x.progress ?? a?.progress ?? null),
              t(`reportState.${x.state}`),
              comment || '–',
            ];
          })}
        />
      </section>

      <section aria-labelledby="print-appendices" className="page-break">
        <h2 id="print-appendices">{t('print.appendices')}</h2>
        {[...byOrg.entries()].map(([org, list], i) => (
          <section key={org} aria-labelledby={`print-app-${i}`} className="appendix">
            <h3 id={`print-app-${i}`}>{t('print.appendix', { n: i + 1, organisation: org })}</h3>
            <PrintTable
              caption={t('print.appendix', { n: i + 1, organisation: org })}
              head={['col_action', 'col_status', 'col_completion', 'col_whatDone', 'col_nextSteps', 'col_risks'].map((k) => t(`print.${k}`))}
              rows={list.map((x) => [x.actionTitle, status(x.actionStatus), pct(x.progress), x.done ?? '–', x.nextSteps ?? '–', x.risks ?? '–'])}
            />
          </section>
        ))}
      </section>
    </article>
  );
}

function PrintTable({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <div className="table-wrap print-table" tabIndex={0} role="region" aria-label={caption}>
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
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
