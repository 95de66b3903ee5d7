import { useMemo, useState } from 'react';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { casesApi, decisionsApi, meetingsApi, type AttendeeInput, type AttendeeRole, type MeetingDetailT } from '../api.ts';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { CheckboxField, SelectField, TextField } from '../../../components/Field.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Badge } from '../../../components/Progress.tsx';
import { useOrgs } from '../../../orgs.ts';
import { useMe } from '../../../session.ts';
import { AppealClock } from '../components/AppealClock.tsx';
import { ATTENDEE_ROLES } from '../../../../shared/schemas/meetings.ts';
import { canSomewhere } from '../../../../shared/access.ts';

const DECIDING = ['council', 'board', 'committee'];
const fieldError = (error: unknown, name: string) => (error instanceof ApiError ? error.field(name) : undefined);

/** The meetings (/sammantraden): each body's meeting dates and whether their minutes are adjusted. */
export function MeetingsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['meetings'], queryFn: () => meetingsApi.list() });
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const me = useMe();
  const mayCreate = !!me && canSomewhere(me, 'cases.handle');
  return (
    <>
      <PageTitle title={t('meetings.title')}>{t('meetings.title')}</PageTitle>
      <p className="lead">{t('meetings.lead')}</p>
      <p>
        <Link to="/anslagstavla">{t('meetings.noticeBoardLink')}</Link>
      </p>
      <Notice message={notice} />
      {mayCreate && (
        <div className="toolbar">
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t('meetings.new')}
          </button>
        </div>
      )}
      <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />
      {list.data &&
        (list.data.items.length === 0 ? (
          <Empty>{t('meetings.empty')}</Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="meetings-caption">
            <table className="table">
              <caption id="meetings-caption" className="visually-hidden">
                {t('meetings.title')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('meetings.date')}</th>
                  <th scope="col">{t('meetings.body')}</th>
                  <th scope="col">{t('meetings.status')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to="/sammantraden/$id" params={{ id: m.id }}>
                        {m.meetingDate}
                      </Link>
                    </td>
                    <td>{m.bodyName}</td>
                    <td>{m.adjustedOn ? t('meetings.adjustedOn', { date: m.adjustedOn }) : t('meetings.open')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {creating && (
        <CreateMeetingDialog
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            setNotice(t('meetings.created'));
            void qc.invalidateQueries({ queryKey: ['meetings'] });
          }}
        />
      )}
    </>
  );
}

function useDecidingBodies() {
  const orgs = useOrgs();
  return useMemo(() => orgs.ordered.filter(({ org }) => org.active && DECIDING.includes(org.type)).map(({ org }) => org), [orgs.ordered]);
}

function CreateMeetingDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const bodies = useDecidingBodies();
  const [form, setForm] = useState({ bodyOrganisationId: '', meetingDate: '', title: '' });
  const save = useMutation({ mutationFn: () => meetingsApi.create({ bodyOrganisationId: form.bodyOrganisationId, meetingDate: form.meetingDate, title: form.title || null }), onSuccess: onDone });
  return (
    <FormDialog title={t('meetings.new')} isOpen onClose={onClose} onSubmit={() => save.mutate()} pending={save.isPending} error={save.error}>
      <SelectField label={t('meetings.body')} required value={form.bodyOrganisationId} onChange={(e) => setForm({ ...form, bodyOrganisationId: e.target.value })} error={fieldError(save.error, 'bodyOrganisationId')}>
        <option value="">{t('meetings.chooseBody')}</option>
        {bodies.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
      <TextField label={t('meetings.date')} type="date" required value={form.meetingDate} onChange={(e) => setForm({ ...form, meetingDate: e.target.value })} error={fieldError(save.error, 'meetingDate')} />
      <TextField label={t('meetings.meetingTitle')} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
    </FormDialog>
  );
}

/** One meeting (/sammantraden/:id): notice and agenda, minutes (attendance, §§, reservations), adjustment and the notice. */
export function MeetingPage() {
  const { id } = useParams({ from: '/app/sammantraden/$id' });
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['meeting', id], queryFn: () => meetingsApi.get(id) });
  const [notice, setNotice] = useState<string | null>(null);
  if (q.isPending || q.error) return <QueryState isPending={q.isPending} error={q.error} refetch={() => void q.refetch()} />;
  const m = q.data;
  const changed = (next: MeetingDetailT, msg: string) => {
    qc.setQueryData(['meeting', id], next);
    void qc.invalidateQueries({ queryKey: ['meetings'] });
    void qc.invalidateQueries({ queryKey: ['decisions'] });
    setNotice(msg);
  };
  const heading = `${m.bodyName} ${m.meetingDate}`;
  return (
    <>
      <nav aria-label={t('meetings.breadcrumb')} className="breadcrumb">
        <Link to="/sammantraden">{t('meetings.breadcrumb')}</Link> / <span aria-current="page">{heading}</span>
      </nav>
      <PageTitle title={heading}>{heading}</PageTitle>
      <p className="lead">
        <Badge>{m.adjustedOn ? t('meetings.adjustedOn', { date: m.adjustedOn }) : t('meetings.open')}</Badge>
      </p>
      {m.exampleNote && (
        <p className="small muted">
          {t('decisions.exampleNote')}: {m.exampleNote}
        </p>
      )}
      <Notice message={notice} />
      <NoticeSection meeting={m} onChanged={changed} />
      <AgendaSection meeting={m} onChanged={changed} />
      <MinutesSection meeting={m} onChanged={changed} />
      <AdjustmentSection meeting={m} onChanged={changed} />
      <NoticeBoardSection meeting={m} onChanged={changed} />
    </>
  );
}

type SectionProps = { meeting: MeetingDetailT; onChanged: (m: MeetingDetailT, msg: string) => void };

function NoticeSection({ meeting: m, onChanged }: SectionProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ startsAt: m.startsAt ?? '', location: m.location ?? '', minutesKeptAt: m.minutesKeptAt ?? '' });
  const save = useMutation({
    mutationFn: () => meetingsApi.update(m.id, { version: m.version, startsAt: form.startsAt || null, location: form.location || null, minutesKeptAt: form.minutesKeptAt || null }),
    onSuccess: (r) => onChanged(r, t('meetings.saved')),
  });
  return (
    <section className="card" aria-labelledby="notice-h">
      <h2 id="notice-h">{t('meetings.notice')}</h2>
      <p>
        <a href={meetingsApi.agendaUrl(m.id)} target="_blank" rel="noreferrer">
          {t('meetings.agendaPdf')}
        </a>
      </p>
      {m.mayManage ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
          noValidate
        >
          <TextField label={t('meetings.startsAt')} value={form.startsAt} description={t('meetings.startsAtHelp')} onChange={(e) => setForm({ ...form, startsAt: e.target.value })} />
          <TextField label={t('meetings.location')} value={form.location} onChange={(e) => setForm({ ...form, location: e.target.value })} />
          <TextField label={t('meetings.minutesKeptAt')} value={form.minutesKeptAt} description={t('meetings.minutesKeptAtHelp')} onChange={(e) => setForm({ ...form, minutesKeptAt: e.target.value })} />
          <ErrorMessage error={save.error} />
          <button type="submit" className="btn" disabled={save.isPending}>
            {t('meetings.saveNotice')}
          </button>
        </form>
      ) : (
        <dl className="dl">
          <dt>{t('meetings.startsAt')}</dt>
          <dd>{m.startsAt ?? '–'}</dd>
          <dt>{t('meetings.location')}</dt>
          <dd>{m.location ?? '–'}</dd>
          <dt>{t('meetings.minutesKeptAt')}</dt>
          <dd>{m.minutesKeptAt ?? '–'}</dd>
        </dl>
      )}
    </section>
  );
}

function AgendaSection({ meeting: m, onChanged }: SectionProps) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const remove = useMutation({ mutationFn: (itemId: string) => meetingsApi.removeItem(m.id, itemId), onSuccess: (r) => onChanged(r, t('meetings.itemRemoved')) });
  const open = m.mayManage && !m.adjustedOn;
  return (
    <section className="card" aria-labelledby="agenda-h">
      <h2 id="agenda-h">{t('meetings.agenda')}</h2>
      {m.items.length === 0 ? (
        <Empty>{t('meetings.agendaEmpty')}</Empty>
      ) : (
        <ol className="agenda">
          {m.items.map((i) => (
            <li key={i.id}>
              <Link to="/arenden/$id/beslut" params={{ id: i.caseId }}>
                {i.registryNumber}
              </Link>{' '}
              {i.caseTitle}
              {i.decisionTitle && <span className="small muted"> · {i.decisionTitle}</span>}{' '}
              {open && (
                <button type="button" className="btn btn-small" onClick={() => remove.mutate(i.id)} aria-label={t('meetings.removeItemLabel', { number: i.registryNumber })}>
                  {t('meetings.removeItem')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {m.hiddenItems > 0 && <p className="small muted">{t('meetings.hiddenItems', { count: m.hiddenItems })}</p>}
      <ErrorMessage error={remove.error} />
      {open && (
        <button type="button" className="btn" onClick={() => setAdding(true)}>
          {t('meetings.addItem')}
        </button>
      )}
      {adding && (
        <AddItemDialog
          meeting={m}
          onClose={() => setAdding(false)}
          onDone={(r) => {
            setAdding(false);
            onChanged(r, t('meetings.itemAdded'));
          }}
        />
      )}
    </section>
  );
}

function AddItemDialog({ meeting: m, onClose, onDone }: { meeting: MeetingDetailT; onClose: () => void; onDone: (r: MeetingDetailT) => void }) {
  const { t } = useTranslation();
  const cases = useQuery({ queryKey: ['cases', 'open-for-agenda'], queryFn: () => casesApi.list({ status: 'open', limit: 200 }) });
  const [caseId, setCaseId] = useState('');
  const [decisionId, setDecisionId] = useState('');
  const decisions = useQuery({ queryKey: ['decisions', caseId], queryFn: () => decisionsApi.list(caseId), enabled: !!caseId });
  const drafts = (decisions.data?.items ?? []).filter((d) => d.status === 'draft' && d.bodyOrganisationId === m.bodyOrganisationId);
  const add = useMutation({ mutationFn: () => meetingsApi.addItem(m.id, { caseId, decisionId: decisionId || null }), onSuccess: onDone });
  return (
    <FormDialog title={t('meetings.addItem')} isOpen onClose={onClose} onSubmit={() => add.mutate()} pending={add.isPending} error={add.error}>
      <QueryState isPending={cases.isPending} error={cases.error} />
      <SelectField label={t('meetings.case')} required value={caseId} onChange={(e) => { setCaseId(e.target.value); setDecisionId(''); }} error={fieldError(add.error, 'caseId')}>
        <option value="">{t('meetings.chooseCase')}</option>
        {(cases.data?.items ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.registryNumber} {c.title}
          </option>
        ))}
      </SelectField>
      {caseId && (
        <SelectField label={t('meetings.decision')} value={decisionId} onChange={(e) => setDecisionId(e.target.value)} error={fieldError(add.error, 'decisionId')}>
          <option value="">{t('meetings.noDecision')}</option>
          {drafts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title}
            </option>
          ))}
        </SelectField>
      )}
    </FormDialog>
  );
}

function MinutesSection({ meeting: m, onChanged }: SectionProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [reserving, setReserving] = useState<{ decisionId: string; n: number } | null>(null);
  const open = m.mayManage && !m.adjustedOn;
  const immediate = useMutation({
    mutationFn: (v: { decisionId: string; immediate: boolean }) => meetingsApi.setImmediate(v.decisionId, v.immediate),
    onSuccess: (r) => onChanged(r, t('meetings.saved')),
  });
  const unreserve = useMutation({ mutationFn: (v: { decisionId: string; reservationId: string }) => meetingsApi.removeReservation(v.decisionId, v.reservationId), onSuccess: (r) => onChanged(r, t('meetings.saved')) });
  return (
    <section className="card" aria-labelledby="minutes-h">
      <h2 id="minutes-h">{t('meetings.minutes')}</h2>
      <p>
        <a href={meetingsApi.minutesUrl(m.id)} target="_blank" rel="noreferrer">
          {t('meetings.minutesPdf')}
        </a>
      </p>
      <h3>{t('meetings.attendance')}</h3>
      {m.attendees.length === 0 ? (
        <Empty>{t('meetings.attendanceEmpty')}</Empty>
      ) : (
        <ul className="plain-list">
          {m.attendees.map((a, i) => (
            <li key={i}>
              {a.name}
              {a.party && ` (${a.party})`}, {t(`meetings.roles.${a.role}`).toLocaleLowerCase()}
              {!a.present && `, ${t('meetings.absent')}`}
            </li>
          ))}
        </ul>
      )}
      {open && (
        <button type="button" className="btn" onClick={() => setEditing(true)}>
          {t('meetings.editAttendance')}
        </button>
      )}
      <h3>{t('meetings.paragraphs')}</h3>
      {m.paragraphs.length === 0 ? (
        <Empty>{t('meetings.paragraphsEmpty')}</Empty>
      ) : (
        <ul className="plain-list">
          {m.paragraphs.map((p) => (
            <li key={p.decisionId} className="block">
              <p>
                <span className="strong">§ {p.paragraph}</span>{' '}
                <Link to="/arenden/$id/beslut" params={{ id: p.caseId }}>
                  {p.title}
                </Link>{' '}
                <span className="small muted">{p.registryNumber}</span>
                {p.immediateAdjustment && (
                  <>
                    {' '}
                    <Badge>{t('meetings.immediate')}</Badge>
                  </>
                )}
                {p.adjustedOn && (
                  <>
                    {' '}
                    <Badge>{t('meetings.adjustedOn', { date: p.adjustedOn })}</Badge>
                  </>
                )}
              </p>
              {p.reservations.length > 0 && (
                <ul>
                  {p.reservations.map((r) => (
                    <li key={r.id}>
                      {t('meetings.reservation', { name: r.party ? `${r.name} (${r.party})` : r.name })}
                      {r.written && `, ${t('meetings.writtenReservation')}`}
                      {open && !p.adjustedOn && (
                        <>
                          {' '}
                          <button type="button" className="btn btn-small btn-ghost" onClick={() => unreserve.mutate({ decisionId: p.decisionId, reservationId: r.id })} aria-label={t('meetings.removeReservation', { name: r.name })}>
                            {t('meetings.removeItem')}
                          </button>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              {p.notice && (
                <p className="small">
                  <AppealClock notice={p.notice} />
                </p>
              )}
              {open && !p.adjustedOn && (
                <div className="button-row">
                  <button type="button" className="btn btn-small" onClick={() => setReserving({ decisionId: p.decisionId, n: p.paragraph })} aria-label={t('meetings.addReservationLabel', { n: p.paragraph })}>
                    {t('meetings.addReservation')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => immediate.mutate({ decisionId: p.decisionId, immediate: !p.immediateAdjustment })}
                    aria-label={p.immediateAdjustment ? t('meetings.immediateLabelOff', { n: p.paragraph }) : t('meetings.immediateLabelOn', { n: p.paragraph })}
                  >
                    {p.immediateAdjustment ? t('meetings.immediateOff') : t('meetings.immediateOn')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={immediate.error ?? unreserve.error} />
      {editing && (
        <AttendanceDialog
          meeting={m}
          onClose={() => setEditing(false)}
          onDone={(r) => {
            setEditing(false);
            onChanged(r, t('meetings.attendanceSaved'));
          }}
        />
      )}
      {reserving && (
        <ReservationDialog
          decisionId={reserving.decisionId}
          n={reserving.n}
          onClose={() => setReserving(null)}
          onDone={(r) => {
            setReserving(null);
            onChanged(r, t('meetings.reservationAdded'));
          }}
        />
      )}
    </section>
  );
}

function AttendanceDialog({ meeting: m, onClose, onDone }: { meeting: MeetingDetailT; onClose: () => void; onDone: (r: MeetingDetailT) => void }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<AttendeeInput[]>(m.attendees.length ? m.attendees.map((a) => ({ ...a })) : [{ name: '', role: 'chair', party: '', present: true }]);
  const set = (i: number, patch: Partial<AttendeeInput>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const save = useMutation({
    mutationFn: () => meetingsApi.setAttendees(m.id, { version: m.version, attendees: rows.filter((r) => r.name.trim()).map((r) => ({ ...r, party: r.party || null })) }),
    onSuccess: onDone,
  });
  return (
    <FormDialog title={t('meetings.editAttendance')} isOpen onClose={onClose} onSubmit={() => save.mutate()} pending={save.isPending} error={save.error}>
      {rows.map((r, i) => (
        <fieldset key={i} className="fieldset">
          <legend>{r.name || `${t('meetings.attendee')} ${i + 1}`}</legend>
          <TextField label={t('meetings.attendee')} value={r.name} onChange={(e) => set(i, { name: e.target.value })} />
          <SelectField label={t('meetings.role')} value={r.role} onChange={(e) => set(i, { role: e.target.value as AttendeeRole })}>
            {ATTENDEE_ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`meetings.roles.${role}`)}
              </option>
            ))}
          </SelectField>
          <TextField label={t('meetings.party')} value={r.party ?? ''} onChange={(e) => set(i, { party: e.target.value })} />
          <CheckboxField label={t('meetings.present')} checked={r.present} onChange={(e) => set(i, { present: e.target.checked })} />
          <button type="button" className="btn btn-small" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            {t('meetings.removeAttendee', { name: r.name || i + 1 })}
          </button>
        </fieldset>
      ))}
      <button type="button" className="btn" onClick={() => setRows([...rows, { name: '', role: 'member', party: '', present: true }])}>
        {t('meetings.addAttendee')}
      </button>
    </FormDialog>
  );
}

function ReservationDialog({ decisionId, n, onClose, onDone }: { decisionId: string; n: number; onClose: () => void; onDone: (r: MeetingDetailT) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ name: '', party: '', written: false });
  const save = useMutation({ mutationFn: () => meetingsApi.addReservation(decisionId, { name: form.name, party: form.party || null, written: form.written }), onSuccess: onDone });
  return (
    <FormDialog title={t('meetings.addReservationLabel', { n })} isOpen onClose={onClose} onSubmit={() => save.mutate()} pending={save.isPending} error={save.error}>
      <TextField label={t('meetings.reservationName')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fieldError(save.error, 'name')} />
      <TextField label={t('meetings.party')} value={form.party} onChange={(e) => setForm({ ...form, party: e.target.value })} />
      <CheckboxField label={t('meetings.written')} checked={form.written} onChange={(e) => setForm({ ...form, written: e.target.checked })} />
    </FormDialog>
  );
}

function AdjustmentSection({ meeting: m, onChanged }: SectionProps) {
  const { t } = useTranslation();
  const me = useMe();
  const [appointing, setAppointing] = useState(false);
  const [confirming, setConfirming] = useState<{ decisionId: string | null; n?: number } | null>(null);
  const adjust = useMutation({
    mutationFn: (decisionId: string | null) => meetingsApi.adjust(m.id, decisionId),
    onSuccess: (r) => {
      setConfirming(null);
      onChanged(r, t('meetings.adjusted'));
    },
  });
  const myRole = m.adjusters.find((a) => a.userId === me?.user.id)?.role;
  const mySignature = m.adjusters.find((a) => a.userId === me?.user.id)?.signedOn;
  const pendingImmediate = m.paragraphs.filter((p) => p.immediateAdjustment && !p.adjustedOn && !p.signatures.find((s) => s.userId === me?.user.id)?.signedOn);
  return (
    <section className="card" aria-labelledby="adjust-h">
      <h2 id="adjust-h">{t('meetings.adjustment')}</h2>
      {m.adjustedOn && (
        <p role="status" className="alert alert-ok">
          {t('meetings.minutesAdjusted', { date: m.adjustedOn })}
        </p>
      )}
      <h3>{t('meetings.adjusters')}</h3>
      {m.adjusters.length === 0 ? (
        <Empty>{t('meetings.noAdjusters')}</Empty>
      ) : (
        <ul className="plain-list">
          {[...m.adjusters].sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name, 'sv') : a.role === 'chair' ? -1 : 1)).map((a) => (
            <li key={a.userId}>
              {a.name}, {a.role === 'chair' ? t('meetings.chair').toLocaleLowerCase() : t('meetings.adjuster').toLocaleLowerCase()}: {a.signedOn ? t('meetings.signed', { date: a.signedOn }) : t('meetings.notSigned')}
            </li>
          ))}
        </ul>
      )}
      {m.mayManage && !m.adjustedOn && m.adjusters.every((a) => !a.signedOn) && (
        <button type="button" className="btn" onClick={() => setAppointing(true)}>
          {t('meetings.appoint')}
        </button>
      )}
      {myRole && !m.adjustedOn && (
        <div className="button-row">
          {!mySignature && (
            <button type="button" className="btn btn-primary" onClick={() => setConfirming({ decisionId: null })}>
              {t('meetings.adjust')}
            </button>
          )}
          {pendingImmediate.map((p) => (
            <button key={p.decisionId} type="button" className="btn" onClick={() => setConfirming({ decisionId: p.decisionId, n: p.paragraph })}>
              {t('meetings.adjustParagraph', { n: p.paragraph })}
            </button>
          ))}
        </div>
      )}
      {!myRole && !m.adjustedOn && m.adjusters.length > 0 && <p className="small muted">{t('meetings.notAdjusterHelp')}</p>}
      <ErrorMessage error={adjust.error} />
      {appointing && (
        <AdjustersDialog
          meeting={m}
          onClose={() => setAppointing(false)}
          onDone={(r) => {
            setAppointing(false);
            onChanged(r, t('meetings.appointed'));
          }}
        />
      )}
      <ConfirmDialog
        isOpen={!!confirming}
        title={confirming?.n ? t('meetings.adjustParagraph', { n: confirming.n }) : t('meetings.adjust')}
        text={t('meetings.adjustConfirm', { role: myRole === 'chair' ? t('meetings.chair').toLocaleLowerCase() : t('meetings.adjuster').toLocaleLowerCase() })}
        confirmLabel={confirming?.n ? t('meetings.adjustParagraph', { n: confirming.n }) : t('meetings.adjust')}
        onClose={() => {
          setConfirming(null);
          adjust.reset();
        }}
        onConfirm={() => confirming && adjust.mutate(confirming.decisionId)}
        pending={adjust.isPending}
        error={adjust.error}
      />
    </section>
  );
}

function AdjustersDialog({ meeting: m, onClose, onDone }: { meeting: MeetingDetailT; onClose: () => void; onDone: (r: MeetingDetailT) => void }) {
  const { t } = useTranslation();
  const users = useQuery({ queryKey: ['meeting-users'], queryFn: () => meetingsApi.users() });
  const [chair, setChair] = useState(m.adjusters.find((a) => a.role === 'chair')?.userId ?? '');
  const existing = m.adjusters.filter((a) => a.role === 'adjuster').map((a) => a.userId);
  const [a1, setA1] = useState(existing[0] ?? '');
  const [a2, setA2] = useState(existing[1] ?? '');
  const save = useMutation({ mutationFn: () => meetingsApi.setAdjusters(m.id, { version: m.version, chairUserId: chair, adjusterUserIds: [a1, a2].filter(Boolean) }), onSuccess: onDone });
  const options = (users.data?.items ?? []).map((u) => (
    <option key={u.id} value={u.id}>
      {u.name}
    </option>
  ));
  return (
    <FormDialog title={t('meetings.appoint')} isOpen onClose={onClose} onSubmit={() => save.mutate()} pending={save.isPending} error={save.error}>
      <QueryState isPending={users.isPending} error={users.error} />
      <SelectField label={t('meetings.chair')} required value={chair} onChange={(e) => setChair(e.target.value)} error={fieldError(save.error, 'chairUserId')}>
        <option value="">{t('meetings.chooseUser')}</option>
        {options}
      </SelectField>
      <SelectField label={t('meetings.adjuster')} required value={a1} onChange={(e) => setA1(e.target.value)} error={fieldError(save.error, 'adjusterUserIds')}>
        <option value="">{t('meetings.chooseUser')}</option>
        {options}
      </SelectField>
      <SelectField label={t('meetings.adjuster2')} value={a2} onChange={(e) => setA2(e.target.value)}>
        <option value="">{t('meetings.chooseUser')}</option>
        {options}
      </SelectField>
    </FormDialog>
  );
}

function NoticeBoardSection({ meeting: m, onChanged }: SectionProps) {
  const { t } = useTranslation();
  const post = useMutation({ mutationFn: (decisionId: string | null) => meetingsApi.postNotice(m.id, { decisionId }), onSuccess: (r) => onChanged(r, t('meetings.posted')) });
  const immediateToPost = m.paragraphs.filter((p) => p.immediateAdjustment && p.adjustedOn && !p.notice);
  return (
    <section className="card" aria-labelledby="board-h">
      <h2 id="board-h">{t('meetings.noticeBoard')}</h2>
      {m.notice ? (
        <p>
          <AppealClock notice={m.notice} />
        </p>
      ) : (
        !m.adjustedOn && <p>{t('meetings.noticeNotYet')}</p>
      )}
      <ErrorMessage error={post.error} />
      {m.mayManage && (
        <div className="button-row">
          {m.adjustedOn && !m.notice && (
            <button type="button" className="btn btn-primary" onClick={() => post.mutate(null)} disabled={post.isPending}>
              {t('meetings.postNotice')}
            </button>
          )}
          {immediateToPost.map((p) => (
            <button key={p.decisionId} type="button" className="btn" onClick={() => post.mutate(p.decisionId)} disabled={post.isPending}>
              {t('meetings.postNoticeParagraph', { n: p.paragraph })}
            </button>
          ))}
        </div>
      )}
      <p>
        <Link to="/anslagstavla">{t('meetings.noticeBoardLink')}</Link>
      </p>
    </section>
  );
}

/** The municipality's digital notice board (/anslagstavla): public, no sign-in; dates and § numbers only. */
export function NoticeBoardPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['notice-board'], queryFn: () => meetingsApi.noticeBoard(), retry: false });
  return (
    <div className="narrow wide-ok">
      <PageTitle title={t('noticeBoard.title')}>{t('noticeBoard.title')}</PageTitle>
      <QueryState isPending={q.isPending} error={q.error} refetch={() => void q.refetch()} />
      {q.data && (
        <>
          <p className="lead">{t('noticeBoard.lead', { municipality: q.data.municipality })}</p>
          {q.data.items.length === 0 ? (
            <Empty>{t('noticeBoard.empty')}</Empty>
          ) : (
            <ul className="plain-list">
              {q.data.items.map((n) => (
                <li key={n.id} className="card">
                  <h2>
                    {t(`noticeBoard.kinds.${n.kind}`)}: {n.bodyName} {n.meetingDate} {n.paragraphs}
                  </h2>
                  <dl className="dl">
                    <dt>{t('noticeBoard.body')}</dt>
                    <dd>{n.bodyName}</dd>
                    <dt>{t('noticeBoard.meetingDate')}</dt>
                    <dd>{n.meetingDate}</dd>
                    <dt>{t('noticeBoard.paragraphs')}</dt>
                    <dd>{n.paragraphs}</dd>
                    <dt>{t('noticeBoard.adjustedOn')}</dt>
                    <dd>{n.adjustedOn}</dd>
                    <dt>{t('noticeBoard.postedOn')}</dt>
                    <dd>{n.postedOn}</dd>
                    <dt>{t('noticeBoard.appealEndsOn')}</dt>
                    <dd>{n.appealEndsOn}</dd>
                    {n.minutesKeptAt && (
                      <>
                        <dt>{t('noticeBoard.keptAt')}</dt>
                        <dd>{n.minutesKeptAt}</dd>
                      </>
                    )}
                  </dl>
                  {n.isExample && <p className="small muted">{t('noticeBoard.example')}</p>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
