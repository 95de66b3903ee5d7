import { Fragment, useState } from 'react';
import { WorkEnvironmentSection } from '../components/WorkEnvironment.tsx';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import type { TFunction } from 'i18next';
import { INCIDENT_STATUSES } from '../../../../shared/schemas/incidents.ts';
import { ApiError } from '../../../api/client.ts';
import { holds } from '../../auth/api.ts';
import { lagesbildMapApi, incidentsApi, type CategoryT, type IncidentDetailT, type IncidentStatus, type IncidentT } from '../api.ts';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Breadcrumb } from '../../../components/Breadcrumb.tsx';
import { useCategoryName } from '../../../i18n/categories.ts';
import { formatDateTime, todayInStockholm } from '../../../format.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { SecrecyControl } from '../../shares/components/Secrecy.tsx';
import { SharesSection } from '../../shares/components/Shares.tsx';
import { stockholmToIso } from './IncidentReport.tsx';
import { PositionText } from '../components/Position.tsx';
import { inMunicipality } from '../map/coords.ts';

type Clock = IncidentT['clocks'][number];

/** After a dialog whose opener is gone (struck entry, stopped clock): focus the section's heading, after the dialog has returned focus. */
const focusLater = (id: string) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => document.getElementById(id)?.focus(), 0)));

function duration(t: TFunction, minutes: number) {
  const m = Math.max(0, Math.abs(minutes));
  return t('incidents.hours', { h: Math.floor(m / 60), m: m % 60 });
}

/** The most urgent running or overdue clock as text (never colour alone). */
export function ClockBadge({ clocks }: { clocks: Clock[] }) {
  const { t } = useTranslation();
  const overdue = clocks.find((c) => c.state === 'overdue');
  const running = clocks.filter((c) => c.state === 'running').sort((a, b) => (a.remainingMinutes ?? 0) - (b.remainingMinutes ?? 0))[0];
  if (overdue) return <span className="badge badge-danger">{t('incidents.clockOverdue')}</span>;
  if (running) return <span className="badge badge-warn">{t('incidents.clockRunning', { left: duration(t, running.remainingMinutes ?? 0) })}</span>;
  return null;
}

const severityText = (t: TFunction, s: number | null) => (s ? t(`incidentSeverity.${s}`) : t('incidents.noSeverity'));

export function IncidentsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holds(me, 'incidents.report');
  const cats = useQuery({ queryKey: ['incident-categories'], queryFn: () => incidentsApi.categories(), enabled: allowed });
  const catName = useCategoryName();
  const [filter, setFilter] = useState({ categoryId: '', status: '', organisationId: '', from: '', to: '' });
  const q = {
    categoryId: filter.categoryId || undefined,
    status: filter.status || undefined,
    organisationId: filter.organisationId || undefined,
    from: filter.from ? stockholmToIso(`${filter.from}T00:00`) : undefined,
    to: filter.to ? stockholmToIso(`${filter.to}T23:59`) : undefined,
    limit: 200,
  };
  const list = useQuery({ queryKey: ['incidents', q], queryFn: () => incidentsApi.list(q), enabled: allowed });
  if (!allowed) return <Forbidden />;
  const filtered = Object.values(filter).some((v) => v !== '');
  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value }));
  return (
    <>
      <PageTitle title={t('incidents.listTitle')}>{t('incidents.listTitle')}</PageTitle>
      {/* The filters side by side across a desktop's width, one per line on a phone (issue #13 item 7). */}
      <form className="card filters" aria-label={t('incidents.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField label={t('incidents.category')} value={filter.categoryId} onChange={set('categoryId')}>
          <option value="">{t('incidents.allCategories')}</option>
          {(cats.data?.items ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {catName(c.key, c.name)}
            </option>
          ))}
        </SelectField>
        <EnumSelect label={t('incidents.status')} value={filter.status} onChange={set('status')} values={INCIDENT_STATUSES} labelPrefix="incidentStatus" emptyLabel={t('incidents.allStatuses')} />
        <OrganisationSelect label={t('incidents.organisation')} value={filter.organisationId} onChange={set('organisationId')} emptyLabel={t('incidents.allOrganisations')} />
        <TextField label={t('incidents.from')} type="date" value={filter.from} onChange={set('from')} />
        <TextField label={t('incidents.to')} type="date" value={filter.to} onChange={set('to')} />
        {filtered && (
          <div className="field filters-clear">
            <button type="button" className="btn" onClick={() => setFilter({ categoryId: '', status: '', organisationId: '', from: '', to: '' })}>
              {t('common.clearFilter')}
            </button>
          </div>
        )}
      </form>
      <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />
      {list.data && (
        <>
          <p role="status" className="muted">
            {t('incidents.count', { count: list.data.total })}
          </p>
          {list.data.items.length === 0 ? (
            // With no filter set, "no incidents match the filter" would be wrong: there are none they may see (issue #13 item 4).
            <Empty>{filtered ? t('incidents.empty') : t('lists.incidentsNone')}</Empty>
          ) : (
            <ul className="card-list incident-list">
              {list.data.items.map((i) => (
                <li key={i.id} className="card">
                  <h2 className="h3">
                    <Link to="/handelser/$id" params={{ id: i.id }}>
                      {catName(i.categoryKey, i.categoryName)}
                    </Link>
                  </h2>
                  <p className="small">
                    {formatDateTime(i.occurredAt)} · {i.place ?? i.premises ?? i.organisationName}
                  </p>
                  <p className="small">
                    {t('incidents.status')}: {t(`incidentStatus.${i.status}`)} · {t('incidents.severity')}: {severityText(t, i.severity)}
                    {i.restricted && <> · {t('incidents.restricted')}</>}
                  </p>
                  <ClockBadge clocks={i.clocks} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

export function IncidentPage() {
  const { id } = useParams({ from: '/app/handelser/$id' });
  const { t } = useTranslation();
  const catName = useCategoryName();
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['incident', id], queryFn: () => incidentsApi.get(id) });
  // Category fields are shown by their labels (the category's own field definitions).
  const cats = useQuery({ queryKey: ['incident-categories'], queryFn: () => incidentsApi.categories() });
  const [notice, setNotice] = useState<string | null>(null);
  if (query.isPending || query.error) return <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />;
  const inc = query.data;
  const manage = inc.allowedActions.includes('incidents.manage');
  const refresh = (fresh: IncidentDetailT, message: string) => {
    qc.setQueryData(['incident', id], fresh);
    void qc.invalidateQueries({ queryKey: ['incidents'] });
    setNotice(message);
  };
  const staff = inc.staff as { victimRole?: string; perpetratorRelation?: string; policeReportNumber?: string | null; sickLeave?: boolean; sickLeaveDays?: number | null } | null;
  return (
    <>
      <Breadcrumb items={[{ label: t('nav.incidents'), to: '/handelser' }, { label: `${catName(inc.categoryKey, inc.categoryName)}, ${formatDateTime(inc.occurredAt)}` }]} />
      <PageTitle title={catName(inc.categoryKey, inc.categoryName)}>{catName(inc.categoryKey, inc.categoryName)}</PageTitle>
      {inc.isExample && <span className="badge">{t('incidents.example')}</span>}
      {inc.restricted && <p className="alert alert-warn">{t('incidents.staffHint')}</p>}
      {manage && <SecrecyControl type="incident" id={inc.id} onChange={setNotice} />}
      <Notice message={notice} />
      <section className="card" aria-labelledby="inc-details-h">
        <h2 id="inc-details-h">{t('incidents.details')}</h2>
        <p className="pre-wrap">{inc.description}</p>
        <dl className="dl incident-dl">
          <dt>{t('incidents.status')}</dt>
          <dd>{t(`incidentStatus.${inc.status}`)}</dd>
          <dt>{t('incidents.severity')}</dt>
          <dd>{severityText(t, inc.severity)}</dd>
          <dt>{t('incidents.owner')}</dt>
          <dd>{inc.owner?.name ?? t('incidents.noOwner')}</dd>
          <dt>{t('incidents.time')}</dt>
          <dd>{formatDateTime(inc.occurredAt)}</dd>
          <dt>{t('incidents.knownAt')}</dt>
          <dd>{formatDateTime(inc.knownAt)}</dd>
          <dt>{t('incidents.place')}</dt>
          <dd>{inc.place ?? '–'}</dd>
          <dt>{t('incidents.position')}</dt>
          <dd>{inc.location ? <ReadablePosition position={inc.location} areaId={inc.areaId} /> : '–'}</dd>
          <dt>{t('incidents.organisation')}</dt>
          <dd>{inc.organisationName}</dd>
          <dt>{t('incidents.premises')}</dt>
          <dd>{inc.premises ?? '–'}</dd>
          <dt>{t('incidents.reporter')}</dt>
          <dd>{inc.reporter?.name ?? t('incidents.anonymousReporter')}</dd>
          {staff && (
            <>
              <dt>{t('incidents.victimRole')}</dt>
              <dd>{staff.victimRole ? t(`victimRole.${staff.victimRole}`) : '–'}</dd>
              <dt>{t('incidents.perpetratorRelation')}</dt>
              <dd>{staff.perpetratorRelation ? t(`perpetratorRelation.${staff.perpetratorRelation}`) : '–'}</dd>
              <dt>{t('incidents.policeReportNumber')}</dt>
              <dd>{staff.policeReportNumber ?? '–'}</dd>
              <dt>{t('incidents.sickLeave')}</dt>
              <dd>{staff.sickLeave ? `${t('common.yes')}${staff.sickLeaveDays ? ` (${staff.sickLeaveDays})` : ''}` : t('common.no')}</dd>
            </>
          )}
          {extraRows(inc, cats.data?.items).map(({ key, label, value }) => (
            <Fragment key={key}>
              <dt>{label}</dt>
              <dd>{typeof value === 'boolean' ? t(value ? 'common.yes' : 'common.no') : value === null || value === undefined || value === '' ? '–' : String(value)}</dd>
            </Fragment>
          ))}
        </dl>
      </section>
      {inc.clocks.length > 0 && <Clocks inc={inc} manage={manage} onDone={refresh} />}
      <WorkEnvironmentSection inc={inc} manage={manage} onDone={refresh} />
      {manage && <Handling key={inc.version} inc={inc} onDone={refresh} onReload={() => void query.refetch()} />}
      <Links inc={inc} manage={manage} onDone={refresh} />
      <Photos inc={inc} />
      <Timeline inc={inc} manage={manage} onDone={refresh} />
      <Tasks inc={inc} manage={manage} onChanged={(m) => {
        void query.refetch();
        setNotice(m);
      }} />
      <SharesSection recordType="incident" recordId={inc.id} />
    </>
  );
}

function Clocks({ inc, manage, onDone }: { inc: IncidentDetailT; manage: boolean; onDone: (i: IncidentDetailT, m: string) => void }) {
  const { t } = useTranslation();
  const [stopping, setStopping] = useState<Clock | null>(null);
  const [note, setNote] = useState('');
  const stop = useMutation({
    mutationFn: (c: Clock) => incidentsApi.stopClock(inc.id, c.id, { reason: 'reported', note: note.trim() || null }),
    onSuccess: (fresh) => {
      setStopping(null);
      onDone(fresh, t('incidents.clockStoppedNotice'));
      focusLater('inc-clocks-h');
    },
  });
  return (
    <section className="card" aria-labelledby="inc-clocks-h">
      <h2 id="inc-clocks-h" tabIndex={-1}>{t('incidents.clocks')}</h2>
      <ul className="plain-list">
        {inc.clocks.map((c) => (
          <li key={c.id}>
            <p className="strong">{c.name}</p>
            <p className="small">{t('incidents.clockDue', { due: formatDateTime(c.due), ref: c.legalRef })}</p>
            {c.state === 'running' && <p className="badge badge-warn">{t('incidents.clockLeft', { left: duration(t, c.remainingMinutes ?? 0) })}</p>}
            {c.state === 'overdue' && <p className="badge badge-danger">{t('incidents.clockOverdueText', { due: formatDateTime(c.due) })}</p>}
            {c.state === 'stopped' && (
              <p>
                {t('incidents.clockStopped', { at: formatDateTime(c.stoppedAt), reason: t(`clockStopReason.${c.stopReason ?? 'reported'}`) })} (
                {t(c.stoppedInTime ? 'incidents.clockInTime' : 'incidents.clockLate')}){c.stopNote ? ` – ${c.stopNote}` : ''}
              </p>
            )}
            {manage && c.state !== 'stopped' && (
              <button type="button" className="btn" onClick={() => setStopping(c)}>
                {t('incidents.markReported')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {stopping && (
        <FormDialog
          isOpen
          title={t('incidents.markReportedTitle')}
          submitLabel={t('incidents.markReported')}
          onClose={() => {
            setStopping(null);
            stop.reset();
          }}
          onSubmit={() => stop.mutate(stopping)}
          pending={stop.isPending}
          error={stop.error}
        >
          <p>{t('incidents.markReportedText')}</p>
          <TextField label={t('incidents.clockNote')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </FormDialog>
      )}
    </section>
  );
}

/** The people who may handle this incident: the owner and task assignee choices (any handler may list them). */
function useHandlers(inc: IncidentDetailT, enabled: boolean) {
  return useQuery({ queryKey: ['incident', inc.id, 'handlers'], queryFn: () => incidentsApi.handlers(inc.id), enabled });
}

function Handling({ inc, onDone, onReload }: { inc: IncidentDetailT; onDone: (i: IncidentDetailT, m: string) => void; onReload: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<IncidentStatus>(inc.status);
  const [severity, setSeverity] = useState(inc.severity ? String(inc.severity) : '');
  const [ownerId, setOwnerId] = useState(inc.owner?.id ?? '');
  const people = useHandlers(inc, true);
  const canListUsers = !!people.data;
  const save = useMutation({
    mutationFn: () =>
      incidentsApi.update(inc.id, {
        version: inc.version,
        status,
        severity: severity ? (Number(severity) as 1 | 2 | 3) : null,
        ...(canListUsers ? { ownerId: ownerId || null } : {}),
      }),
    onSuccess: (fresh) => onDone(fresh, t('incidents.saved')),
  });
  const ownerOptions = [...(people.data?.items ?? [])];
  if (inc.owner && !ownerOptions.some((u) => u.id === inc.owner!.id)) ownerOptions.unshift({ id: inc.owner.id, name: inc.owner.name });
  return (
    <section className="card" aria-labelledby="inc-handling-h">
      <h2 id="inc-handling-h">{t('incidents.handling')}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="grid-2">
          <SelectField id="inc-status" label={t('incidents.status')} value={status} onChange={(e) => setStatus(e.target.value as IncidentStatus)} error={save.error instanceof ApiError ? save.error.field('status') : undefined}>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`incidentStatus.${s}`)}
              </option>
            ))}
          </SelectField>
          <SelectField id="inc-severity" label={t('incidents.severity')} value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">{t('incidents.noSeverity')}</option>
            {[1, 2, 3].map((s) => (
              <option key={s} value={String(s)}>
                {t(`incidentSeverity.${s}`)}
              </option>
            ))}
          </SelectField>
          {canListUsers && (
            <SelectField id="inc-owner" label={t('incidents.owner')} value={ownerId} onChange={(e) => setOwnerId(e.target.value)} error={save.error instanceof ApiError ? save.error.field('ownerId') : undefined}>
              <option value="">{t('incidents.noOwner')}</option>
              {ownerOptions.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </SelectField>
          )}
        </div>
        <ErrorMessage error={save.error} onReload={onReload} />
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {t('incidents.saveHandling')}
        </button>
      </form>
    </section>
  );
}

function Photos({ inc }: { inc: IncidentDetailT }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="inc-photos-h">
      <h2 id="inc-photos-h">{t('incidents.photosTitle')}</h2>
      {inc.photos.length === 0 ? (
        <Empty>{t('incidents.noPhotos')}</Empty>
      ) : (
        <ul className="photo-list">
          {inc.photos.map((p) => (
            <li key={p.id}>
              <a href={incidentsApi.photoUrl(inc.id, p.id)} target="_blank" rel="noreferrer">
                <img src={incidentsApi.photoUrl(inc.id, p.id)} alt={t('incidents.photoAlt', { name: p.filename })} width={120} height={90} loading="lazy" />
                <span className="small">{p.filename}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Entry = IncidentDetailT['timeline'][number];

const CHANGE_LABELS: Record<string, string> = {
  categoryId: 'incidents.category',
  description: 'incidents.description',
  occurredAt: 'incidents.time',
  lat: 'incidents.position',
  lon: 'incidents.position',
  place: 'incidents.place',
  organisationId: 'incidents.organisation',
  premises: 'incidents.premises',
  status: 'incidents.status',
  severity: 'incidents.severity',
  ownerId: 'incidents.owner',
  extra: 'incidents.extraLegend',
  staff: 'incidents.staffLegend',
};

function entryText(t: TFunction, e: Entry, ctxOwner?: { id: string; name: string } | null, links?: IncidentDetailT['links']): string {
  const d0 = (e.data ?? {}) as Record<string, unknown>;
  if (e.text && !((e.kind === 'task' || e.kind === 'task_update') && typeof d0.assigneeName === 'string')) return e.text;
  const d = (e.data ?? {}) as Record<string, unknown>;
  if (e.kind === 'change' && typeof d.field === 'string') {
    const label = CHANGE_LABELS[d.field] ?? d.field;
    const show = (v: unknown) => {
      if (d.field === 'severity') return severityText(t, typeof v === 'number' ? v : null);
      if (v === null || v === undefined) return '–';
      if (d.field === 'status' && typeof v === 'string') return t(`incidentStatus.${v}`);
      if (d.field === 'ownerId') return v === ctxOwner?.id ? ctxOwner.name : null;
      if (d.field === 'occurredAt' && typeof v === 'string') return formatDateTime(v);
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      return null;
    };
    const from = show(d.from);
    const to = show(d.to);
    return from !== null && to !== null ? t('incidents.changed', { field: t(label), from, to }) : t('incidents.fieldChanged', { field: t(label) });
  }
  if ((e.kind === 'link_added' || e.kind === 'link_removed') && typeof d.targetId === 'string') {
    // Titles come from the links the reader may see (the timeline stores none); a removed link's title is not kept.
    const link = links?.find((l) => l.targetId === d.targetId);
    const title = link?.kind === 'case' && link.title ? `${link.reference ?? ''} ${link.title}`.trim() : link?.title;
    const added = e.kind === 'link_added';
    if (d.kind === 'case')
      return title ? t(added ? 'incidentCases.linkAdded' : 'incidentCases.linkRemoved', { title }) : t(added ? 'incidentCases.linkAddedHidden' : 'incidentCases.linkRemovedHidden');
    return title ? t(added ? 'incidentsMore.linkAdded' : 'incidentsMore.linkRemoved', { title }) : t(added ? 'incidentsMore.linkAddedHidden' : 'incidentsMore.linkRemovedHidden');
  }
  if ((e.kind === 'task' || e.kind === 'task_update') && typeof d.assigneeName === 'string' && e.text) return `${e.text} – ${t('incidentsMore.assignedTo', { name: d.assigneeName })}`;
  if (e.kind === 'clock_started' && typeof d.due === 'string') return t('incidents.clockDue', { due: formatDateTime(d.due), ref: '' }).replace(' ()', '');
  return '';
}

function Timeline({ inc, manage, onDone }: { inc: IncidentDetailT; manage: boolean; onDone: (i: IncidentDetailT, m: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const [striking, setStriking] = useState<Entry | null>(null);
  const [reason, setReason] = useState('');
  const [reasonErr, setReasonErr] = useState<string | undefined>();
  const comment = useMutation({
    mutationFn: () => incidentsApi.comment(inc.id, text.trim()),
    onSuccess: (fresh) => {
      setText('');
      onDone(fresh, t('incidents.commentAdded'));
    },
  });
  const strike = useMutation({
    mutationFn: (e: Entry) => incidentsApi.strike(inc.id, e.id, reason.trim()),
    onSuccess: (fresh) => {
      setStriking(null);
      setReason('');
      onDone(fresh, t('incidents.struckNotice'));
      focusLater('inc-timeline-h');
    },
  });
  return (
    <section className="card" aria-labelledby="inc-timeline-h">
      <h2 id="inc-timeline-h" tabIndex={-1}>{t('incidents.timeline')}</h2>
      {inc.timeline.length === 0 ? (
        <Empty>{t('incidents.noTimeline')}</Empty>
      ) : (
        <ol className="timeline">
          {inc.timeline.map((e) => (
            <li key={e.id} className={e.struck ? 'struck' : undefined}>
              <p className="small muted">
                {formatDateTime(e.at)} · {e.actorName ?? t('incidents.anonymousReporter')} · {t([`incidents.kind.${e.kind}`, `incidentsMore.kind.${e.kind}`], { defaultValue: e.kind })}
              </p>
              {e.struck ? (
                <>
                  <p>
                    <del>{entryText(t, e, inc.owner, inc.links)}</del>
                  </p>
                  <p className="small">{t('incidents.struck', { at: formatDateTime(e.struck.at), by: e.struck.byName ?? '–', reason: e.struck.reason })}</p>
                </>
              ) : (
                <p className="pre-wrap">{entryText(t, e, inc.owner, inc.links)}</p>
              )}
              {manage && !e.struck && (
                <button type="button" className="btn btn-small" aria-label={t('incidents.strikeEntry', { at: formatDateTime(e.at) })} onClick={() => setStriking(e)}>
                  {t('incidents.strike')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) {
            setLocal(t('common.fieldRequired'));
            document.getElementById('inc-comment')?.focus();
            return;
          }
          setLocal(undefined);
          comment.mutate();
        }}
      >
        <TextAreaField id="inc-comment" label={t('incidents.comment')} value={text} onChange={(e) => setText(e.target.value)} error={local ?? (comment.error instanceof ApiError ? comment.error.field('text') : undefined)} maxLength={5000} />
        <ErrorMessage error={comment.error instanceof ApiError && comment.error.field('text') ? null : comment.error} />
        <button type="submit" className="btn" disabled={comment.isPending}>
          {t('incidents.addComment')}
        </button>
      </form>
      {striking && (
        <FormDialog
          isOpen
          title={t('incidents.strikeTitle')}
          submitLabel={t('incidents.strike')}
          onClose={() => {
            setStriking(null);
            strike.reset();
            setReasonErr(undefined);
          }}
          onSubmit={() => {
            if (!reason.trim()) {
              setReasonErr(t('common.fieldRequired'));
              document.getElementById('inc-strike-reason')?.focus();
              return;
            }
            setReasonErr(undefined);
            strike.mutate(striking);
          }}
          pending={strike.isPending}
          error={strike.error}
        >
          <p>{t('incidents.strikeText')}</p>
          <TextAreaField id="inc-strike-reason" label={t('incidents.strikeReason')} value={reason} onChange={(e) => setReason(e.target.value)} error={reasonErr} required maxLength={1000} />
        </FormDialog>
      )}
    </section>
  );
}

function Tasks({ inc, manage, onChanged }: { inc: IncidentDetailT; manage: boolean; onChanged: (m: string) => void }) {
  const { t } = useTranslation();
  const people = useHandlers(inc, manage);
  const form = useForm(
    { title: '', dueDate: todayInStockholm(), assigneeId: '' },
    {
      focusPrefix: 'inc-task-',
      validate: (v) => ({ title: v.title.trim() ? undefined : t('common.fieldRequired'), dueDate: v.dueDate ? undefined : t('common.fieldRequired') }),
      submit: (v) => incidentsApi.addTask(inc.id, { title: v.title.trim(), dueDate: v.dueDate, assigneeId: v.assigneeId || null }),
      onSuccess: () => {
        form.replace({ title: '', assigneeId: '' });
        onChanged(t('incidents.taskAdded'));
      },
    },
  );
  const done = useMutation({
    mutationFn: (task: IncidentDetailT['tasks'][number]) => incidentsApi.updateTask(task.id, { version: task.version, done: true }),
    onSuccess: () => onChanged(t('common.saved')),
  });
  return (
    <section className="card" aria-labelledby="inc-tasks-h">
      <h2 id="inc-tasks-h">{t('incidents.tasks')}</h2>
      {inc.tasks.length === 0 ? (
        <Empty>{t('incidents.noTasks')}</Empty>
      ) : (
        <ul className="plain-list">
          {inc.tasks.map((task) => (
            <li key={task.id}>
              <span className={task.done ? 'strong' : undefined}>{task.title}</span> · {t('incidents.taskDue', { date: task.dueDate })} ·{' '}
              {task.assigneeName ? t('incidentsMore.assignedTo', { name: task.assigneeName }) : t('incidentsMore.noAssignee')}
              {task.done && <> · {t('incidents.taskDone', { at: formatDateTime(task.doneAt) })}</>}
              {task.overdue && !task.done && <> · <span className="badge badge-danger">{t('incidents.taskOverdue')}</span></>}
              {manage && !task.done && (
                <button type="button" className="btn btn-small" onClick={() => done.mutate(task)} aria-label={`${t('incidents.markDone')}: ${task.title}`}>
                  {t('incidents.markDone')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={done.error} />
      {manage && (
        <form noValidate onSubmit={(e) => void form.handleSubmit(e)}>
          <div className="grid-2">
            <TextField id="inc-task-title" label={t('incidents.taskTitle')} value={form.values.title} onChange={form.set('title')} error={form.err('title')} required maxLength={300} />
            <TextField id="inc-task-dueDate" label={t('incidents.dueDate')} type="date" value={form.values.dueDate} onChange={form.set('dueDate')} error={form.err('dueDate')} required />
            <SelectField id="inc-task-assigneeId" label={t('incidentsMore.assignee')} value={form.values.assigneeId} onChange={form.set('assigneeId')} error={form.err('assigneeId')}>
              <option value="">{t('incidentsMore.noAssignee')}</option>
              {(people.data?.items ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
          </div>
          <ErrorMessage error={form.error instanceof ApiError && form.error.fields.length ? null : form.error} />
          <button type="submit" className="btn" disabled={form.submitting}>
            {t('incidents.addTask')}
          </button>
        </form>
      )}
    </section>
  );
}


/** The category's extra values under their labels, in the category's field order; values of fields no longer defined keep their key. */
export function extraRows(inc: Pick<IncidentT, 'categoryId' | 'extra'>, categories: CategoryT[] | undefined) {
  const fields = categories?.find((c) => c.id === inc.categoryId)?.fields ?? [];
  const known = fields.filter((f) => Object.hasOwn(inc.extra, f.key)).map((f) => ({ key: f.key, label: f.label, value: inc.extra[f.key] }));
  const rest = Object.keys(inc.extra)
    .filter((k) => !fields.some((f) => f.key === k))
    .map((k) => ({ key: k, label: k, value: inc.extra[k] }));
  return [...known, ...rest];
}

/** What the incident is linked to: program actions and cases (a target the reader may not see is named only by its kind). */
function Links({ inc, manage, onDone }: { inc: IncidentDetailT; manage: boolean; onDone: (i: IncidentDetailT, m: string) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [removing, setRemoving] = useState<IncidentDetailT['links'][number] | null>(null);
  const results = useQuery({ queryKey: ['incident-link-targets', submitted], queryFn: () => incidentsApi.linkTargets(submitted ?? ''), enabled: manage && submitted !== null });
  const add = useMutation({
    mutationFn: (target: { kind: 'action' | 'case'; id: string }) => incidentsApi.addLink(inc.id, target.kind, target.id),
    onSuccess: (fresh) => onDone(fresh, t('incidentsMore.linked')),
  });
  const remove = useMutation({
    mutationFn: (linkId: string) => incidentsApi.removeLink(inc.id, linkId),
    onSuccess: (fresh) => {
      setRemoving(null);
      onDone(fresh, t('incidentsMore.unlinked'));
      focusLater('inc-links-h');
    },
  });
  const linkedIds = new Set(inc.links.map((l) => `${l.kind}:${l.targetId}`));
  const kindLabel = (kind: 'action' | 'case') => t(kind === 'case' ? 'incidentCases.kindCase' : 'incidentCases.kindAction');
  const hidden = (kind: 'action' | 'case') => t(kind === 'case' ? 'incidentCases.linkHidden' : 'incidentsMore.linkHidden');
  const nameOf = (l: IncidentDetailT['links'][number]) => (l.title ? (l.kind === 'case' ? `${l.reference ?? ''} ${l.title}`.trim() : l.title) : hidden(l.kind));
  return (
    <section className="card" aria-labelledby="inc-links-h">
      <h2 id="inc-links-h" tabIndex={-1}>
        {t('incidentsMore.links')}
      </h2>
      {inc.links.length === 0 ? (
        <Empty>{t('incidentsMore.noLinks')}</Empty>
      ) : (
        <ul className="plain-list">
          {inc.links.map((l) => (
            <li key={l.id}>
              <span className="badge">{kindLabel(l.kind)}</span>{' '}
              {l.title ? (
                l.kind === 'case' ? (
                  <Link to="/arenden/$id" params={{ id: l.targetId }}>
                    {nameOf(l)}
                  </Link>
                ) : (
                  <Link to="/atgarder/$id" params={{ id: l.targetId }}>
                    {l.title}
                  </Link>
                )
              ) : (
                <span className="muted">{hidden(l.kind)}</span>
              )}
              {manage && (
                <>
                  {' '}
                  <button type="button" className="btn btn-small" onClick={() => setRemoving(l)} aria-label={t('incidentsMore.unlinkNamed', { title: nameOf(l) })}>
                    {t('incidentsMore.unlink')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {manage && (
        <form
          role="search"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setSubmitted(q.trim());
          }}
        >
          <TextField id="inc-link-q" label={t('incidentsMore.linkSearch')} description={t('incidentsMore.linkSearchHint')} value={q} onChange={(e) => setQ(e.target.value)} maxLength={200} />
          <button type="submit" className="btn">
            {t('common.search')}
          </button>
        </form>
      )}
      {manage && submitted !== null && (
        <div>
          <QueryState isPending={results.isPending} error={results.error} refetch={() => void results.refetch()} />
          {results.data &&
            (results.data.items.length === 0 ? (
              <Empty>{t('incidentsMore.noLinkResults')}</Empty>
            ) : (
              <ul className="plain-list" aria-label={t('incidentsMore.linkResults')}>
                {results.data.items.map((a) => (
                  <li key={`${a.kind}:${a.id}`}>
                    <span className="badge">{kindLabel(a.kind)}</span> <span className="strong">{a.title}</span> <span className="small muted">({a.context})</span>{' '}
                    {linkedIds.has(`${a.kind}:${a.id}`) ? (
                      <span className="badge">{t('incidentsMore.alreadyLinked')}</span>
                    ) : (
                      <button type="button" className="btn btn-small" disabled={add.isPending} onClick={() => add.mutate({ kind: a.kind, id: a.id })} aria-label={t('incidentsMore.linkNamed', { title: a.title })}>
                        {t('incidentsMore.link')}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            ))}
          <ErrorMessage error={add.error} />
        </div>
      )}
      {removing && (
        <ConfirmDialog
          isOpen
          title={t('incidentsMore.unlinkTitle')}
          text={t('incidentsMore.unlinkText')}
          confirmLabel={t('incidentsMore.unlink')}
          onClose={() => {
            setRemoving(null);
            remove.reset();
          }}
          onConfirm={() => remove.mutate(removing.id)}
          pending={remove.isPending}
          error={remove.error}
        />
      )}
    </section>
  );
}

/**
 * A position in words first (issue #13 item 9): the municipality's area it lies in and whether it is inside
 * the municipality, then the coordinates in both systems for those who need them.
 */
function ReadablePosition({ position, areaId }: { position: { lat: number; lon: number }; areaId: string | null }) {
  const { t } = useTranslation();
  const me = useMe();
  // The areas are read with incidents.read; a reporter who sees only their own report gets the rest.
  const areas = useQuery({ queryKey: ['incident-areas'], queryFn: () => lagesbildMapApi.areas(), enabled: !!areaId && holds(me, 'incidents.read') });
  const area = areaId ? areas.data?.items.find((a) => a.id === areaId) : undefined;
  const words = [area ? t('readablePosition.area', { name: area.name }) : null, inMunicipality(position) ? t('readablePosition.inside') : t('readablePosition.outside')].filter(Boolean).join(' · ');
  return (
    <>
      <span className="block">{words.charAt(0).toUpperCase() + words.slice(1)}</span>
      <span className="block small muted">
        <PositionText position={position} />
      </span>
    </>
  );
}
