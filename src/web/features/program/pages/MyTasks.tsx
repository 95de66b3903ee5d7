import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ACTION_STATUSES } from '../../../../shared/schemas/program.ts';
import { ApiError } from '../../../api/client.ts';
import { holds } from '../../auth/api.ts';
import { incidentsApi } from '../../incidents/api.ts';
import { followUp, type ActionStatus, type ReportInput, type ReportT } from '../api.ts';
import { Link } from '../../../components/Link.tsx';
import { ConfirmDialog } from '../../../components/Dialogs.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { TextAreaField, TextField } from '../../../components/Field.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { formatDateTime } from '../../../format.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { Attachments } from '../../../components/Attachments.tsx';
import { RoundIndicators } from '../components/RoundIndicators.tsx';

export function MyTasksPage() {
  const { t } = useTranslation();
  const me = useMe();
  const reports = holds(me, 'followup.report');
  // Follow-up tasks on incidents are assigned to those who may handle incidents (issue #6).
  const incidentTasks = holds(me, 'incidents.manage');
  const allowed = reports || incidentTasks;
  const query = useQuery({ queryKey: ['reports', 'mine'], queryFn: () => followUp.reports({ mine: true }), enabled: reports });
  // Open rounds where the user's organisations have no action to report may still ask for an indicator's value.
  const rounds = useQuery({ queryKey: ['rounds', 'all'], queryFn: () => followUp.rounds(), enabled: reports });
  const [notice, setNotice] = useState<string | null>(null);
  if (!allowed) return <Forbidden />;
  const byRound = new Map<string, ReportT[]>();
  for (const r of query.data?.items ?? []) byRound.set(r.roundId, [...(byRound.get(r.roundId) ?? []), r]);
  return (
    <>
      <PageTitle title={t('tasks.title')}>{t('tasks.title')}</PageTitle>
      <p className="lead">{t('tasks.intro')}</p>
      <Notice message={notice} />
      {incidentTasks && <MyIncidentTasks />}
      {reports && <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />}
      {query.data && query.data.items.length === 0 && <Empty>{t('tasks.empty')}</Empty>}
      {query.data &&
        rounds.data?.items
          .filter((r) => r.status === 'open' && !byRound.has(r.id))
          .map((r) => <RoundIndicators key={r.id} roundId={r.id} mine level={2} title={t('tasks.indicatorRound', { name: r.name, deadline: r.deadline })} onNotice={setNotice} />)}
      {[...byRound.values()].map((list) => (
        <section key={list[0].roundId} aria-labelledby={`round-${list[0].roundId}`} className="section">
          <h2 id={`round-${list[0].roundId}`}>
            {t('tasks.round', { name: list[0].roundName, deadline: list[0].deadline })}{' '}
            <span className="muted small">({t('tasks.taskCount', { count: list.length })})</span>
          </h2>
          {list.map((r) => (
            <TaskForm key={r.id} report={r} onNotice={setNotice} />
          ))}
          <RoundIndicators roundId={list[0].roundId} mine onNotice={setNotice} />
        </section>
      ))}
    </>
  );
}

const initial = (r: ReportT) => ({
  actionStatus: (r.actionStatus ?? '') as ActionStatus | '',
  progress: r.progress === null ? '' : String(r.progress),
  done: r.done ?? '',
  nextSteps: r.nextSteps ?? '',
  risks: r.risks ?? '',
});

function TaskForm({ report, onNotice }: { report: ReportT; onNotice: (m: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [base, setBase] = useState(report);
  const [form, setForm] = useState(initial(report));
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [confirming, setConfirming] = useState(false);
  const headingId = `task-${report.id}`;
  const heading = useRef<HTMLHeadingElement>(null);
  const editable = base.allowedActions.includes('followup.report') && base.state !== 'submitted' && base.roundStatus === 'open';

  const body = (): ReportInput => ({
    version: base.version,
    actionStatus: form.actionStatus || null,
    progress: form.progress.trim() === '' ? null : Number(form.progress),
    done: form.done.trim() || null,
    nextSteps: form.nextSteps.trim() || null,
    risks: form.risks.trim() || null,
  });
  const after = (fresh: ReportT, message: string) => {
    setBase(fresh);
    setConfirming(false);
    onNotice(message);
    // The form is gone once submitted: keep the keyboard user at this task. Two frames, so that this
    // comes after the confirmation dialog has given focus back (its opener no longer exists).
    if (fresh.state === 'submitted') requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => heading.current?.focus(), 0)));
    void qc.invalidateQueries({ queryKey: ['rounds'] });
    void qc.invalidateQueries({ queryKey: ['rollup'] });
  };
  const save = useMutation({ mutationFn: () => followUp.save(base.id, body()), onSuccess: (r) => after(r, t('tasks.draftSaved', { title: r.actionTitle })) });
  const submit = useMutation({ mutationFn: () => followUp.submit(base.id, body()), onSuccess: (r) => after(r, t('tasks.submitted', { title: r.actionTitle })) });
  const error = save.error ?? submit.error;
  const serverErr = error instanceof ApiError ? error : undefined;
  const err = (f: string) => local[f] ?? serverErr?.field(f);
  const set = (k: keyof ReturnType<typeof initial>) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const check = (forSubmit: boolean) => {
    const p = Number(form.progress);
    const progressOk = form.progress.trim() === '' ? !forSubmit : Number.isInteger(p) && p >= 0 && p <= 100;
    const errs: Record<string, string | undefined> = {
      actionStatus: forSubmit && !form.actionStatus ? t('common.fieldRequired') : undefined,
      progress: progressOk ? undefined : form.progress.trim() === '' ? t('common.fieldRequired') : t('tasks.progressRange'),
    };
    setLocal(errs);
    const bad = Object.entries(errs).find(([, v]) => v);
    if (bad) document.getElementById(`${report.id}-${bad[0]}`)?.focus();
    return !bad;
  };
  const reload = async () => {
    const fresh = await followUp.getReport(base.id);
    setBase(fresh);
    save.reset();
    submit.reset();
  };

  const pct = (v: number | null) => (v === null ? '–' : `${v} %`);
  return (
    <article className={`card task task-${base.state}`} aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {base.actionTitle}
      </h3>
      <p className="muted small">
        {t('tasks.organisation', { name: base.organisationName })} · {t('followUp.state')}: <span className="strong">{t(`reportState.${base.state}`)}</span>
      </p>
      {base.state === 'returned' && base.returnComment && (
        <div className="alert alert-warn" role="note" aria-label={t('tasks.returnedTitle')}>
          <p className="strong">{t('tasks.returnedTitle')}</p>
          <p>{t('tasks.returnedBy', { comment: base.returnComment })}</p>
        </div>
      )}
      {base.previous && (
        <p className="trend">
          {t('tasks.previous', {
            round: base.previous.roundName,
            status: base.previous.actionStatus ? t(`actionStatus.${base.previous.actionStatus}`) : '–',
            progress: pct(base.previous.progress),
          })}
        </p>
      )}
      {!editable ? (
        <>
          {base.state === 'submitted' && <p>{t('tasks.readOnly', { date: formatDateTime(base.submittedAt) })}</p>}
          <dl className="dl">
            <dt>{t('tasks.status')}</dt>
            <dd>{base.actionStatus ? t(`actionStatus.${base.actionStatus}`) : '–'}</dd>
            <dt>{t('followUp.progress')}</dt>
            <dd>{pct(base.progress)}</dd>
            <dt>{t('tasks.done')}</dt>
            <dd>{base.done ?? '–'}</dd>
            <dt>{t('tasks.nextSteps')}</dt>
            <dd>{base.nextSteps ?? '–'}</dd>
            <dt>{t('tasks.risks')}</dt>
            <dd>{base.risks ?? '–'}</dd>
          </dl>
        </>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (check(false)) save.mutate();
          }}
        >
          <div className="grid-2">
            <EnumSelect id={`${report.id}-actionStatus`} label={t('tasks.status')} value={form.actionStatus} onChange={set('actionStatus')} error={err('actionStatus')} required values={ACTION_STATUSES} labelPrefix="actionStatus" emptyLabel={t('tasks.chooseStatus')} />
            <TextField
              id={`${report.id}-progress`}
              label={t('tasks.progress')}
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              step={1}
              value={form.progress}
              onChange={set('progress')}
              error={err('progress')}
              required
            />
          </div>
          <TextAreaField label={t('tasks.done')} value={form.done} onChange={set('done')} error={err('done')} maxLength={10000} />
          <TextAreaField label={t('tasks.nextSteps')} value={form.nextSteps} onChange={set('nextSteps')} error={err('nextSteps')} maxLength={10000} />
          <TextAreaField label={t('tasks.risks')} value={form.risks} onChange={set('risks')} error={err('risks')} maxLength={10000} />
          {!confirming && <ErrorMessage error={error} onReload={() => void reload()} />}
          <div className="button-row">
            <button type="submit" className="btn" disabled={save.isPending}>
              {t('tasks.saveDraft')}
            </button>
            <button type="button" className="btn btn-primary" disabled={submit.isPending} onClick={() => check(true) && setConfirming(true)}>
              {t('tasks.submit')}
            </button>
          </div>
        </form>
      )}
      <Attachments report={base} editable={editable} onChange={(attachments) => setBase((b) => ({ ...b, attachments }))} />
      {confirming && (
        <ConfirmDialog
          isOpen
          title={t('tasks.submitTitle')}
          text={t('tasks.submitText', { title: base.actionTitle })}
          confirmLabel={t('tasks.submit')}
          // Submitting is a step forward, not a deletion: not red (issue #13 item 9).
          tone="primary"
          onClose={() => {
            setConfirming(false);
            submit.reset();
          }}
          onConfirm={() => submit.mutate()}
          pending={submit.isPending}
          error={submit.error}
          onReload={() => void reload().then(() => setConfirming(false))}
        />
      )}
    </article>
  );
}

/** Open follow-up tasks on incidents assigned to the user, each linking to its incident. */
function MyIncidentTasks() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['incident-tasks', 'mine'], queryFn: () => incidentsApi.myTasks() });
  return (
    <section aria-labelledby="my-incident-tasks-h" className="section">
      <h2 id="my-incident-tasks-h">{t('incidentsMore.myIncidentTasks')}</h2>
      <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />
      {list.data &&
        (list.data.items.length === 0 ? (
          <Empty>{t('incidentsMore.myIncidentTasksEmpty')}</Empty>
        ) : (
          <ul className="plain-list">
            {list.data.items.map((task) => (
              <li key={task.id}>
                <Link to="/handelser/$id" params={{ id: task.incidentId }}>
                  {task.title}
                </Link>{' '}
                · {t('incidents.taskDue', { date: task.dueDate })}
                {task.overdue && (
                  <>
                    {' '}
                    · <span className="badge badge-danger">{t('incidents.taskOverdue')}</span>
                  </>
                )}
                <span className="small muted">
                  {' '}
                  – {t('incidentsMore.taskOn', { category: task.incidentCategoryName, date: formatDateTime(task.incidentOccurredAt), organisation: task.incidentOrganisationName })}
                </span>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
