import { useEffect, useState } from 'react';
import { useForm } from '../../../components/useForm.ts';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { REPORT_STATES } from '../../../../shared/schemas/program.ts';
import { ApiError } from '../../../api/client.ts';
import { holds } from '../../auth/api.ts';
import { followUp, type ReportT, type RoundT } from '../api.ts';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, Notice, QueryState } from '../../../components/Feedback.tsx';
import { CheckboxGroup, SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { ExportPanel } from '../../../components/ExportPanel.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { formatDateTime, todayInStockholm } from '../../../format.ts';
import { useOrgs } from '../../../orgs.ts';
import { useMe } from '../../../session.ts';
import { canOn } from '../../../permissions.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { programsQuery } from './Programs.tsx';
import { Attachments } from '../../../components/Attachments.tsx';
import { RoundIndicators } from '../components/RoundIndicators.tsx';

export const roundsQuery = (programId?: string) => ({ queryKey: ['rounds', programId ?? 'all'], queryFn: () => followUp.rounds(programId) });

export function roundTotals(r: Pick<RoundT, 'counts'>) {
  const total = r.counts.not_started + r.counts.draft + r.counts.submitted + r.counts.returned;
  return { total, submitted: r.counts.submitted, percent: total ? Math.round((r.counts.submitted / total) * 100) : 0 };
}

export function FollowUpPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const allowed = holds(me, 'program.read');
  const programs = useQuery({ ...programsQuery, enabled: allowed });
  const [programId, setProgramId] = useState('');
  const [opening, setOpening] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!programId && programs.data?.items.length) setProgramId(programs.data.items[0].id);
  }, [programId, programs.data]);
  const rounds = useQuery({ ...roundsQuery(programId), enabled: allowed && !!programId });
  if (!allowed) return <Forbidden />;
  const program = programs.data?.items.find((p) => p.id === programId);
  return (
    <>
      <PageTitle title={t('followUp.title')}>{t('followUp.title')}</PageTitle>
      <p className="lead">{t('followUp.intro')}</p>
      <Notice message={notice} />
      <QueryState isPending={programs.isPending} error={programs.error} refetch={() => void programs.refetch()} />
      {programs.data && (
        <div className="toolbar">
          <SelectField label={t('followUp.program')} value={programId} onChange={(e) => setProgramId(e.target.value)}>
            {programs.data.items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </SelectField>
          {program?.allowedActions.includes('followup.manage') && (
            <button type="button" className="btn btn-primary" onClick={() => setOpening(true)}>
              {t('followUp.open')}
            </button>
          )}
        </div>
      )}
      {programId && (
        <section aria-labelledby="rounds-h">
          <h2 id="rounds-h">{t('followUp.rounds')}</h2>
          <QueryState isPending={rounds.isPending} error={rounds.error} refetch={() => void rounds.refetch()} />
          {rounds.data &&
            (rounds.data.items.length === 0 ? (
              <Empty>{t('followUp.noRounds')}</Empty>
            ) : (
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t('shell.scrollRegion', { name: t('followUp.rounds') })}>
                <table className="table">
                  <caption className="visually-hidden">{t('followUp.rounds')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('followUp.nameShort')}</th>
                      <th scope="col">{t('followUp.deadline')}</th>
                      <th scope="col">{t('common.status')}</th>
                      <th scope="col">{t('followUp.counts')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rounds.data.items.map((r) => {
                      const tot = roundTotals(r);
                      return (
                        <tr key={r.id}>
                          <th scope="row">
                            <Link to="/uppfoljning/$roundId" params={{ roundId: r.id }} className="strong">
                              {r.name}
                            </Link>
                          </th>
                          <td className="nowrap">{r.deadline}</td>
                          <td>{r.status === 'closed' ? t('followUp.closedAt', { date: formatDateTime(r.closedAt) }) : t('followUp.status_open')}</td>
                          <td>
                            {tot.total === 0 ? <span className="muted">{t('lists.roundNone')}</span> : t('followUp.submittedOf', tot)}
                            {r.counts.overdue > 0 && <span className="block error-text">{t('followUp.overdueCount', { count: r.counts.overdue })}</span>}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            ))}
        </section>
      )}
      {opening && programId && (
        <OpenRoundDialog
          programId={programId}
          onClose={() => setOpening(false)}
          onDone={(r) => {
            setOpening(false);
            setNotice(t('followUp.opened', { name: r.name }));
            void qc.invalidateQueries({ queryKey: ['rounds'] });
            void qc.invalidateQueries({ queryKey: ['reports'] });
          }}
        />
      )}
    </>
  );
}

function OpenRoundDialog({ programId, onClose, onDone }: { programId: string; onClose: () => void; onDone: (r: RoundT) => void }) {
  const { t } = useTranslation();
  const orgs = useOrgs();
  const form = useForm(
    { name: '', deadline: '', scope: [] as string[] },
    {
      focusPrefix: 'open-round-',
      validate: (v) => ({
        name: v.name.trim() ? undefined : t('common.fieldRequired'),
        deadline: !v.deadline ? t('common.fieldRequired') : v.deadline < todayInStockholm() ? t('followUp.deadlinePast') : undefined,
      }),
      submit: (v) => followUp.open({ programId, name: v.name.trim(), deadline: v.deadline, scopeOrganisationIds: v.scope }),
      fieldMap: { scopeOrganisationIds: 'scope' },
      onSuccess: onDone,
    },
  );
  return (
    <FormDialog isOpen title={t('followUp.openTitle')} onClose={onClose} onSubmit={() => void form.handleSubmit()} submitLabel={t('followUp.open')} pending={form.submitting} error={form.error}>
      <TextField id="open-round-name" label={t('followUp.name')} value={form.values.name} onChange={form.set('name')} error={form.err('name')} required maxLength={200} autoFocus />
      <TextField
        id="open-round-deadline"
        label={t('followUp.deadline')}
        type="date"
        min={todayInStockholm()}
        value={form.values.deadline}
        onChange={form.set('deadline')}
        error={form.err('deadline')}
        required
      />
      <CheckboxGroup
        legend={t('followUp.scope')}
        description={t('followUp.scopeHelp')}
        scroll
        options={orgs.ordered.map(({ org }) => ({ value: org.id, label: org.name }))}
        value={form.values.scope}
        onChange={(scope) => form.setValue('scope', scope)}
        error={form.err('scope')}
      />
    </FormDialog>
  );
}

type RoundDialog = { kind: 'return'; report: ReportT } | { kind: 'close' } | null;

export function RoundPage() {
  const { roundId } = useParams({ from: '/app/uppfoljning/$roundId' });
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [state, setState] = useState('');
  const [dialog, setDialog] = useState<RoundDialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rounds = useQuery(roundsQuery());
  const round = rounds.data?.items.find((r) => r.id === roundId);
  const orgs = useOrgs();
  const programs = useQuery(programsQuery);
  const program = programs.data?.items.find((p) => p.id === round?.programId);
  // The report to the board needs program.read on the program's owner (as the export checks): a partner who
  // sees the programme through its own organisation gets no button that ends in a refusal (issue #13 item 4).
  const mayReadWhole = !!program && canOn(me, 'program.read', program.ownerOrganisationId, orgs.index.byId);
  const overview = useQuery({ queryKey: ['rounds', roundId, 'overview'], queryFn: () => followUp.overview(roundId) });
  const mayReport = holds(me, 'followup.report');
  const reports = useQuery({ queryKey: ['reports', { roundId, state }], queryFn: () => followUp.reports({ roundId, state: state || undefined }), enabled: mayReport });
  const refresh = (message: string) => {
    setDialog(null);
    setNotice(message);
    void qc.invalidateQueries({ queryKey: ['rounds'] });
    void qc.invalidateQueries({ queryKey: ['reports'] });
    void qc.invalidateQueries({ queryKey: ['rollup'] });
  };
  if (rounds.isPending || rounds.error) return <QueryState isPending={rounds.isPending} error={rounds.error} refetch={() => void rounds.refetch()} />;
  if (!round) return <QueryState isPending={false} error={new ApiError(404, 'ROUND_NOT_FOUND', t('notFound.title'))} />;
  const tot = roundTotals(round);
  const manages = round.allowedActions.includes('followup.manage');
  return (
    <>
      <p className="breadcrumb">
        <Link to="/uppfoljning">{t('followUp.title')}</Link>
      </p>
      <PageTitle title={t('followUp.roundTitle', { name: round.name })}>{t('followUp.roundTitle', { name: round.name })}</PageTitle>
      <dl className="dl">
        <dt>{t('common.status')}</dt>
        <dd>{round.status === 'closed' ? t('followUp.closedAt', { date: formatDateTime(round.closedAt) }) : t('followUp.status_open')}</dd>
        <dt>{t('followUp.deadline')}</dt>
        <dd>{round.deadline}</dd>
        <dt>{t('followUp.counts')}</dt>
        <dd data-testid="round-total">{tot.total === 0 ? t('lists.roundNone') : t('followUp.submittedOf', tot)}</dd>
      </dl>
      <Notice message={notice} />
      {manages && (
        <div className="toolbar">
          <button type="button" className="btn btn-danger" onClick={() => setDialog({ kind: 'close' })}>
            {t('followUp.close')}
          </button>
        </div>
      )}

      <section aria-labelledby="overview-h" className="section">
        <h2 id="overview-h">{t('followUp.overview')}</h2>
        <QueryState isPending={overview.isPending} error={overview.error} refetch={() => void overview.refetch()} />
        {overview.data && overview.data.items.length === 0 && <Empty>{t('lists.roundOverviewNone')}</Empty>}
        {overview.data && overview.data.items.length > 0 && (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('shell.scrollRegion', { name: t('followUp.overview') })}>
            <table className="table">
              <caption className="visually-hidden">{t('followUp.overview')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('followUp.organisation')}</th>
                  <th scope="col">{t('followUp.total')}</th>
                  <th scope="col">{t('followUp.submitted')}</th>
                  <th scope="col">{t('followUp.draft')}</th>
                  <th scope="col">{t('followUp.returned')}</th>
                  <th scope="col">{t('followUp.notStarted')}</th>
                  <th scope="col">{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {overview.data.items.map((o) => (
                  <tr key={o.organisationId}>
                    <th scope="row">{o.organisationName}</th>
                    <td>{o.total}</td>
                    <td>{o.submitted}</td>
                    <td>{o.draft}</td>
                    <td>{o.returned}</td>
                    <td>{o.notStarted}</td>
                    <td>{o.overdue ? <span className="error-text strong">{t('followUp.overdueMark')}</span> : t('followUp.onTime')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {mayReport && (
        <section aria-labelledby="reports-h" className="section">
          <h2 id="reports-h">{t('followUp.reports')}</h2>
          <div className="toolbar">
            <SelectField label={t('followUp.state')} value={state} onChange={(e) => setState(e.target.value)}>
              <option value="">{t('followUp.anyState')}</option>
              {REPORT_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`reportState.${s}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <QueryState isPending={reports.isPending} error={reports.error} refetch={() => void reports.refetch()} />
          {reports.data &&
            (reports.data.items.length === 0 ? (
              <Empty>{t('followUp.noReports')}</Empty>
            ) : (
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t('shell.scrollRegion', { name: t('followUp.reports') })}>
                <table className="table">
                  <caption className="visually-hidden">{t('followUp.reports')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('followUp.action')}</th>
                      <th scope="col">{t('followUp.organisation')}</th>
                      <th scope="col">{t('followUp.state')}</th>
                      <th scope="col">{t('followUp.actionStatus')}</th>
                      <th scope="col">{t('followUp.progress')}</th>
                      <th scope="col">{t('common.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {reports.data.items.map((r) => (
                      <tr key={r.id}>
                        <th scope="row">
                          <Link to="/atgarder/$id" params={{ id: r.actionId }}>
                            {r.actionTitle}
                          </Link>
                          {(r.done || r.nextSteps || r.risks || r.returnComment) && (
                            <details>
                              <summary>{t('followUp.details')}</summary>
                              <dl className="dl small">
                                {r.done && (
                                  <>
                                    <dt>{t('followUp.done')}</dt>
                                    <dd>{r.done}</dd>
                                  </>
                                )}
                                {r.nextSteps && (
                                  <>
                                    <dt>{t('followUp.nextSteps')}</dt>
                                    <dd>{r.nextSteps}</dd>
                                  </>
                                )}
                                {r.risks && (
                                  <>
                                    <dt>{t('followUp.risks')}</dt>
                                    <dd>{r.risks}</dd>
                                  </>
                                )}
                                {r.returnComment && (
                                  <>
                                    <dt>{t('followUp.returnComment')}</dt>
                                    <dd>{r.returnComment}</dd>
                                  </>
                                )}
                              </dl>
                            </details>
                          )}
                          <Attachments report={r} editable={false} />
                        </th>
                        <td>{r.organisationName}</td>
                        <td>{t(`reportState.${r.state}`)}</td>
                        <td>{r.actionStatus ? t(`actionStatus.${r.actionStatus}`) : '–'}</td>
                        <td>{r.progress === null ? '–' : `${r.progress} %`}</td>
                        <td>
                          {r.state === 'submitted' && r.roundStatus === 'open' && r.allowedActions.includes('followup.manage') && (
                            <button type="button" className="btn btn-small" aria-label={t('followUp.returnLabel', { title: r.actionTitle })} onClick={() => setDialog({ kind: 'return', report: r })}>
                              {t('followUp.returnReport')}
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </section>
      )}

      {manages && <RoundIndicators roundId={roundId} mine={false} level={2} onNotice={setNotice} />}

      {mayReadWhole && (
        <section aria-labelledby="board-h" className="card">
          <h2 id="board-h">{t('followUp.boardReport')}</h2>
          <p className="muted">{t('followUp.boardReportIntro')}</p>
          <ExportPanel kind="program.followup-report" params={{ roundId }} formats={['docx', 'pdf', 'xlsx']} what={t('followUp.boardReport')} />
          <p>
            <Link to="/uppfoljning/$roundId/utskrift" params={{ roundId }}>
              {t('followUp.print')}
            </Link>
          </p>
        </section>
      )}

      {dialog?.kind === 'return' && <ReturnDialog report={dialog.report} onClose={() => setDialog(null)} onDone={() => refresh(t('followUp.returned_ok'))} />}
      {dialog?.kind === 'close' && <CloseDialog round={round} onClose={() => setDialog(null)} onDone={() => refresh(t('followUp.closed'))} />}
    </>
  );
}

function ReturnDialog({ report, onClose, onDone }: { report: ReportT; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const [base, setBase] = useState(report);
  const mutation = useMutation({ mutationFn: () => followUp.returnReport(base.id, base.version, comment.trim()), onSuccess: onDone });
  const serverErr = mutation.error instanceof ApiError ? mutation.error : undefined;
  return (
    <FormDialog
      isOpen
      title={t('followUp.returnTitle')}
      onClose={onClose}
      onSubmit={() => {
        const e = comment.trim() ? undefined : t('common.fieldRequired');
        setLocal(e);
        if (!e) mutation.mutate();
      }}
      submitLabel={t('followUp.returnReport')}
      pending={mutation.isPending}
      error={mutation.error}
      onReload={async () => {
        setBase(await followUp.getReport(base.id));
        mutation.reset();
      }}
    >
      <p>{report.actionTitle}</p>
      <TextAreaField label={t('followUp.returnComment')} value={comment} onChange={(e) => setComment(e.target.value)} error={local ?? serverErr?.field('comment')} required maxLength={5000} autoFocus />
    </FormDialog>
  );
}

function CloseDialog({ round, onClose, onDone }: { round: RoundT; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [version, setVersion] = useState(round.version);
  const mutation = useMutation({ mutationFn: () => followUp.close(round.id, version), onSuccess: onDone });
  return (
    <ConfirmDialog
      isOpen
      title={t('followUp.closeTitle')}
      text={t('followUp.closeText')}
      confirmLabel={t('followUp.close')}
      onClose={onClose}
      onConfirm={() => mutation.mutate()}
      pending={mutation.isPending}
      error={mutation.error}
      onReload={async () => {
        const fresh = (await followUp.rounds(round.programId)).items.find((r) => r.id === round.id);
        if (fresh) setVersion(fresh.version);
        void qc.invalidateQueries({ queryKey: ['rounds'] });
        mutation.reset();
      }}
    />
  );
}
