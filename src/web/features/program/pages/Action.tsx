import { useState } from 'react';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { holds } from '../../auth/api.ts';
import { followUp, planActions, type HistoryEntryT, type ReportT } from '../api.ts';
import { Attachments } from '../../../components/Attachments.tsx';
import { LinkedIncidents } from '../../../components/LinkedIncidents.tsx';
import { useMe } from '../../../session.ts';
import { Empty, Notice, QueryState } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Breadcrumb } from '../../../components/Breadcrumb.tsx';
import { Badge, HealthBadge, ProgressBar } from '../../../components/Progress.tsx';
import { formatDateTime } from '../../../format.ts';
import { useOrgs } from '../../../orgs.ts';
import { SharesSection } from '../../shares/components/Shares.tsx';
import { ActionDialog } from '../components/ActionForm.tsx';
import { ActionFindings } from '../components/ActionFindings.tsx';

export function ActionPage() {
  const { id } = useParams({ from: '/app/atgarder/$id' });
  const { t } = useTranslation();
  const qc = useQueryClient();
  const orgs = useOrgs();
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useQuery({ queryKey: ['action', id], queryFn: () => planActions.get(id) });
  const history = useQuery({ queryKey: ['action', id, 'history'], queryFn: () => planActions.history(id) });
  // Reports are for those who report or follow up (followup.report); the server filters to what they may see.
  const mayReadReports = holds(useMe(), 'followup.report');
  const reports = useQuery({ queryKey: ['reports', { actionId: id }], queryFn: () => followUp.reports({ actionId: id }), enabled: mayReadReports });
  if (action.isPending || action.error) return <QueryState isPending={action.isPending} error={action.error} refetch={() => void action.refetch()} />;
  const a = action.data;
  const list = (ids: string[]) => (ids.length ? ids.map((x) => orgs.name(x)).join(', ') : t('action.none'));
  return (
    <>
      <Breadcrumb items={[{ label: t('nav.programs'), to: '/program' }, { label: a.title }]} />
      <PageTitle title={a.title}>{a.title}</PageTitle>
      {a.isExample && <Badge>{t('action.example')}</Badge>}
      <Notice message={notice} />
      <div className="rollup-summary">
        <ProgressBar value={a.progress} label={t('action.progressShort')} />
        <span>{t(`actionStatus.${a.status}`)}</span>
      </div>
      <section className="card" aria-labelledby="action-details-h">
        <h2 id="action-details-h">{t('organisations.details')}</h2>
        <dl className="dl">
          <dt>{t('action.description')}</dt>
          <dd>{a.description ?? '–'}</dd>
          <dt>{t('action.responsible')}</dt>
          <dd>{a.responsibleOrganisationName}</dd>
          <dt>{t('action.contributors')}</dt>
          <dd>{list(a.contributorIds)}</dd>
          <dt>{t('action.contact')}</dt>
          <dd>{a.contactPerson ?? '–'}</dd>
          <dt>{t('action.startDate')}</dt>
          <dd>{a.startDate ?? '–'}</dd>
          <dt>{t('action.endDate')}</dt>
          <dd>{a.endDate ?? '–'}</dd>
          <dt>{t('action.status')}</dt>
          <dd>{t(`actionStatus.${a.status}`)}</dd>
          <dt>{t('action.progressShort')}</dt>
          <dd>{a.progress} %</dd>
          <dt>{t('action.weight')}</dt>
          <dd>{a.weight}</dd>
          <dt>{t('action.subAreas')}</dt>
          <dd>{a.subAreas.length ? a.subAreas.map((s) => t(`subArea.${s}`)).join(', ') : t('action.none')}</dd>
        </dl>
        {a.allowedActions.includes('program.manage') && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing(true)}>
            {t('action.edit')}
          </button>
        )}
      </section>
      {mayReadReports && (
        <section className="card" aria-labelledby="action-reports-h">
          <h2 id="action-reports-h">{t('action.reports')}</h2>
          <QueryState isPending={reports.isPending} error={reports.error} refetch={() => void reports.refetch()} />
          {reports.data && (reports.data.items.length === 0 ? <Empty>{t('action.reportsEmpty')}</Empty> : <ActionReports items={reports.data.items} />)}
        </section>
      )}
      <ActionFindings actionId={id} mayManage={a.allowedActions.includes('program.manage')} />
      <LinkedIncidents filter={{ actionId: id }} heading={t('incidentsMore.actionIncidents')} empty={t('incidentsMore.actionIncidentsEmpty')} />
      <section className="card" aria-labelledby="history-h">
        <h2 id="history-h">{t('action.history')}</h2>
        <QueryState isPending={history.isPending} error={history.error} refetch={() => void history.refetch()} />
        {history.data && (history.data.items.length === 0 ? <Empty>{t('action.historyEmpty')}</Empty> : <History items={history.data.items} orgName={orgs.name} />)}
      </section>
      <p>
        <Link to="/program">{t('programs.title')}</Link>
      </p>
      {editing && (
        <ActionDialog
          action={a}
          onClose={() => setEditing(false)}
          onDone={(fresh) => {
            setEditing(false);
            setNotice(t('action.saved'));
            qc.setQueryData(['action', id], fresh);
            void qc.invalidateQueries({ queryKey: ['action', id] });
            void qc.invalidateQueries({ queryKey: ['rollup'] });
          }}
        />
      )}
      <SharesSection recordType="action" recordId={a.id} />
    </>
  );
}

function History({ items, orgName }: { items: HistoryEntryT[]; orgName: (id: string) => string }) {
  const { t, i18n } = useTranslation();
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '–';
    if (field === 'status' && typeof v === 'string') return t(`actionStatus.${v}`, { defaultValue: v });
    if (field === 'subAreas' && Array.isArray(v)) return v.length ? v.map((s) => t(`subArea.${s}`, { defaultValue: String(s) })).join(', ') : '–';
    if ((field === 'responsibleOrganisationId' || field === 'contributorIds') && (typeof v === 'string' || Array.isArray(v)))
      return ([] as string[]).concat(v as string | string[]).map(orgName).join(', ') || '–';
    if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
    if (field === 'progress') return `${String(v)} %`;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  const fieldName = (f: string) => (i18n.exists(`historyField.${f}`) ? t(`historyField.${f}`) : f);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('action.history')}>
      <table className="table">
        <caption className="visually-hidden">{t('action.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('action.when')}</th>
            <th scope="col">{t('action.who')}</th>
            <th scope="col">{t('action.what')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{formatDateTime(e.at)}</td>
              <td>{e.actorName ?? t('audit.system')}</td>
              <td>
                <span className="strong">{i18n.exists(`historyAction.${e.action}`) ? t(`historyAction.${e.action}`) : e.action}</span>
                {e.changes.length > 0 && (
                  <ul className="plain-list change-list">
                    {e.changes
                      .filter((c) => i18n.exists(`historyField.${c.field}`) && c.field !== 'goalId' && c.field !== 'isExample')
                      .filter((c) => e.action !== 'create' || (c.after !== null && !(Array.isArray(c.after) && c.after.length === 0)))
                      .map((c) => (
                        <li key={c.field}>
                          <span className="strong">{fieldName(c.field)}:</span>{' '}
                          {e.action === 'create' ? show(c.field, c.after) : `${show(c.field, c.before)} → ${show(c.field, c.after)}`}
                        </li>
                      ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The action's follow-up reports, newest round first: what each round was told. */
function ActionReports({ items }: { items: ReportT[] }) {
  const { t } = useTranslation();
  const rows = [...items].sort((a, b) => b.deadline.localeCompare(a.deadline));
  return (
    <ul className="report-list">
      {rows.map((r) => (
        <li key={r.id} className="report-item">
          <h3 className="small strong">
            {r.roundName} · {t(`reportState.${r.state}`)}
          </h3>
          <dl className="dl small">
            <dt>{t('tasks.status')}</dt>
            <dd>{r.actionStatus ? t(`actionStatus.${r.actionStatus}`) : '–'}</dd>
            <dt>{t('followUp.progress')}</dt>
            <dd>{r.progress === null ? '–' : `${r.progress} %`}</dd>
            <dt>{t('tasks.done')}</dt>
            <dd className="pre-line">{r.done ?? '–'}</dd>
            <dt>{t('tasks.nextSteps')}</dt>
            <dd className="pre-line">{r.nextSteps ?? '–'}</dd>
            <dt>{t('tasks.risks')}</dt>
            <dd className="pre-line">{r.risks ?? '–'}</dd>
          </dl>
          <Attachments report={r} editable={false} />
        </li>
      ))}
    </ul>
  );
}
