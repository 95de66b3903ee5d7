import { useCategoryName } from '../../../i18n/categories.ts';
import { useEffect, useRef, useState } from 'react';
import { Link } from '../../../components/Link.tsx';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PERPETRATOR_RELATIONS, VICTIM_ROLES, type CategoryField } from '../../../../shared/schemas/incidents.ts';
import { buildOrgTree, mayReportFor } from '../../../../shared/access.ts';
import { type Me, holds } from '../../auth/api.ts';
import { incidentsApi, type IncidentDetailT, type IncidentInput } from '../api.ts';
import type { OrganisationT } from '../../organisations/api.ts';
import { ApiError } from '../../../api/client.ts';
import { ErrorMessage, QueryState } from '../../../components/Feedback.tsx';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { useOrgs } from '../../../orgs.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { PositionInput, PositionText } from '../components/Position.tsx';

const TZ = 'Europe/Stockholm';
/** A moment (default now) in Stockholm as the value of a datetime-local input (YYYY-MM-DDTHH:mm). */
export function nowLocal(at: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return parts.replace(' ', 'T');
}
/** A Stockholm wall-clock time (YYYY-MM-DDTHH:mm) as an ISO instant with offset. */
export function stockholmToIso(local: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return undefined;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  // The offset of Stockholm at that moment (try the instant that many minutes earlier; DST edges are close enough).
  const offsetAt = (ms: number) => {
    const p = new Intl.DateTimeFormat('en-US', { timeZone: TZ, timeZoneName: 'longOffset' }).formatToParts(new Date(ms)).find((x) => x.type === 'timeZoneName')?.value ?? 'GMT+01:00';
    const o = /GMT([+-])(\d{2}):(\d{2})/.exec(p);
    return o ? (o[1] === '-' ? -1 : 1) * (+o[2] * 60 + +o[3]) : 0;
  };
  const off = offsetAt(asUtc - offsetAt(asUtc) * 60_000);
  return new Date(asUtc - off * 60_000).toISOString();
}

/**
 * The organisations the user may report for, as the server decides (incidents.service requireMayReport):
 * where they hold incidents.report (subtree grants included), and, for an employee, their own organisation
 * and its units. Partner organisations hang under the municipality, as in the server's tree.
 */
export function reportableOrgIds(me: Me | null | undefined, orgs: OrganisationT[]): Set<string> {
  if (!me) return new Set();
  const tree = buildOrgTree(orgs.map((o) => ({ id: o.id, parentId: o.parentId ?? null, type: o.type })));
  return new Set(orgs.filter((o) => mayReportFor(me, me.user.homeOrganisationId, o.id, tree)).map((o) => o.id));
}

type Pos = { lat: number; lon: number };
interface Form {
  categoryId: string;
  description: string;
  occurredAt: string;
  knownAt: string;
  place: string;
  organisationId: string;
  premises: string;
  anonymous: boolean;
  extra: Record<string, string | boolean>;
  victimRole: string;
  perpetratorRelation: string;
  policeReportNumber: string;
  sickLeave: string;
  sickLeaveDays: string;
}

export function IncidentReportPage() {
  const { t } = useTranslation();
  const catName = useCategoryName();
  const me = useMe();
  const qc = useQueryClient();
  const allowed = holds(me, 'incidents.report');
  const cats = useQuery({ queryKey: ['incident-categories'], queryFn: () => incidentsApi.categories(), enabled: allowed });
  const orgs = useOrgs();
  const [form, setForm] = useState<Form>(() => ({
    categoryId: '',
    description: '',
    occurredAt: nowLocal(),
    knownAt: nowLocal(),
    place: '',
    organisationId: me?.user.homeOrganisationId ?? '',
    premises: '',
    anonymous: false,
    extra: {},
    victimRole: '',
    perpetratorRelation: '',
    policeReportNumber: '',
    sickLeave: 'no',
    sickLeaveDays: '',
  }));
  const [pos, setPos] = useState<Pos | null>(null);
  const [posState, setPosState] = useState<'idle' | 'locating' | 'denied' | 'unavailable'>('idle');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [serverError, setServerError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [progress, setProgress] = useState<string[]>([]);
  const [done, setDone] = useState<{ incident: IncidentDetailT; failures: string[] } | null>(null);
  const doneHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (done) doneHeading.current?.focus();
  }, [done]);

  if (!allowed) return <Forbidden />;
  const reportable = reportableOrgIds(me, orgs.query.data?.items ?? []);
  const orgChoices = orgs.ordered.filter(({ org }) => reportable.has(org.id));
  const categories = (cats.data?.items ?? []).filter((c) => c.active);
  const category = categories.find((c) => c.id === form.categoryId);
  const staff = !!category?.staffSafety;
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const setExtra = (key: string, v: string | boolean) => setForm((f) => ({ ...f, extra: { ...f.extra, [key]: v } }));
  const api = serverError instanceof ApiError ? serverError : undefined;
  const err = (f: string) => errors[f] ?? api?.field(f);

  const locate = () => {
    if (!('geolocation' in navigator)) return setPosState('unavailable');
    setPosState('locating');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPos({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lon: Math.round(p.coords.longitude * 1e6) / 1e6 });
        setPosState('idle');
      },
      (e) => setPosState(e.code === e.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const validate = () => {
    const e: Record<string, string | undefined> = {};
    const req = t('common.fieldRequired');
    if (!form.categoryId) e.categoryId = req;
    if (!form.description.trim()) e.description = req;
    if (!stockholmToIso(form.occurredAt)) e.occurredAt = req;
    if (!form.organisationId) e.organisationId = req;
    else if (orgs.query.data && !reportable.has(form.organisationId)) e.organisationId = t('incidentsMore.reportOrgNotAllowed');
    if (!pos && !form.place.trim()) e.place = t('incidents.placeOrPosition');
    for (const f of category?.fields ?? []) if (f.required && f.type !== 'boolean' && !String(form.extra[f.key] ?? '').trim()) e[`extra-${f.key}`] = req;
    if (staff) {
      if (!form.victimRole) e.victimRole = req;
      if (!form.perpetratorRelation) e.perpetratorRelation = req;
      // When the employer learnt of it: the clock's start. Not before it happened, not in the future.
      const known = stockholmToIso(form.knownAt);
      const occurred = stockholmToIso(form.occurredAt);
      if (!known) e.knownAt = req;
      else if (Date.parse(known) > Date.now() + 5 * 60_000) e.knownAt = t('incidentsMore.futureTime');
      else if (occurred && Date.parse(known) < Date.parse(occurred)) e.knownAt = t('incidentsMore.knownBeforeOccurred');
      if (form.sickLeave === 'yes' && form.sickLeaveDays && !(Number.isInteger(Number(form.sickLeaveDays)) && Number(form.sickLeaveDays) >= 1)) e.sickLeaveDays = req;
    }
    setErrors(e);
    const first = Object.entries(e).find(([, v]) => v);
    if (first) document.getElementById(`inc-${first[0]}`)?.focus();
    return !first;
  };

  const submit = async () => {
    setServerError(null);
    if (!validate() || !category) return;
    const extra: Record<string, string | number | boolean | null> = {};
    for (const f of category.fields) {
      const v = form.extra[f.key];
      if (v === undefined || v === '') continue;
      extra[f.key] = f.type === 'number' ? Number(v) : v;
    }
    const body: IncidentInput = {
      categoryId: form.categoryId,
      description: form.description.trim(),
      occurredAt: stockholmToIso(form.occurredAt),
      knownAt: staff ? stockholmToIso(form.knownAt) : undefined,
      location: pos,
      place: form.place.trim() || null,
      organisationId: form.organisationId,
      premises: form.premises.trim() || null,
      anonymous: form.anonymous,
      extra,
      staff: staff
        ? {
            victimRole: form.victimRole as (typeof VICTIM_ROLES)[number],
            perpetratorRelation: form.perpetratorRelation as (typeof PERPETRATOR_RELATIONS)[number],
            policeReportNumber: form.policeReportNumber.trim() || null,
            sickLeave: form.sickLeave === 'yes',
            sickLeaveDays: form.sickLeave === 'yes' && form.sickLeaveDays ? Number(form.sickLeaveDays) : null,
          }
        : null,
    };
    setPending(true);
    try {
      const created = await incidentsApi.create(body);
      const failures: string[] = [];
      // One photo per request, after the incident exists.
      for (const [i, file] of files.entries()) {
        setProgress((p) => [...p, t('incidents.uploading', { name: file.name, n: i + 1, total: files.length })]);
        try {
          await incidentsApi.addPhoto(created.id, file);
          setProgress((p) => [...p, t('incidents.uploaded', { name: file.name })]);
        } catch (e) {
          failures.push(t('incidents.uploadFailed', { name: file.name, message: e instanceof ApiError ? e.message : t('common.unexpectedError') }));
        }
      }
      void qc.invalidateQueries({ queryKey: ['incidents'] });
      setDone({ incident: created, failures });
    } catch (e) {
      setServerError(e);
      const fields = e instanceof ApiError ? e.fields : [];
      if (fields.length) {
        const names = ['categoryId', 'description', 'occurredAt', 'knownAt', 'place', 'organisationId', 'premises', 'victimRole', 'perpetratorRelation', 'policeReportNumber', 'sickLeaveDays'];
        const hit = names.find((n) => (e as ApiError).field(n));
        if (hit) document.getElementById(`inc-${hit}`)?.focus();
      }
    } finally {
      setPending(false);
    }
  };

  if (done)
    return (
      <>
        <PageTitle title={t('incidents.reportTitle')}>{t('incidents.reportTitle')}</PageTitle>
        <section className="card" aria-labelledby="inc-done-h">
          <h2 id="inc-done-h" ref={doneHeading} tabIndex={-1}>
            {t('incidents.reportedTitle')}
          </h2>
          <p>{t('incidents.reportedText', { category: done.incident.categoryName })}</p>
          {done.failures.length > 0 && (
            <div className="alert alert-error" role="alert">
              {done.failures.map((f) => (
                <p key={f}>{f}</p>
              ))}
            </div>
          )}
          <div className="button-row">
            <Link to="/handelser/$id" params={{ id: done.incident.id }} className="btn btn-primary">
              {t('incidents.openIncident')}
            </Link>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setDone(null);
                setFiles([]);
                setProgress([]);
                setPos(null);
                setForm((f) => ({ ...f, description: '', place: '', premises: '', occurredAt: nowLocal(), knownAt: nowLocal(), extra: {}, policeReportNumber: '', sickLeaveDays: '' }));
              }}
            >
              {t('incidents.reportAnother')}
            </button>
          </div>
        </section>
      </>
    );

  return (
    <>
      <PageTitle title={t('incidents.reportTitle')}>{t('incidents.reportTitle')}</PageTitle>
      <p className="lead">{t('incidents.reportIntro')}</p>
      <QueryState isPending={cats.isPending} error={cats.error} refetch={() => void cats.refetch()} />
      {cats.data && (
        <form
          noValidate
          className="incident-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <SelectField id="inc-categoryId" label={t('incidents.category')} value={form.categoryId} onChange={set('categoryId')} error={err('categoryId')} required>
            <option value="">{t('incidents.chooseCategory')}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {catName(c.key, c.name)}
              </option>
            ))}
          </SelectField>
          {staff && (
            <fieldset className="fieldset">
              <legend>{t('incidents.staffLegend')}</legend>
              <p className="alert alert-warn" id="inc-staff-hint">
                {t('incidents.staffHint')}
              </p>
              <EnumSelect id="inc-victimRole" label={t('incidents.victimRole')} value={form.victimRole} onChange={set('victimRole')} error={err('victimRole')} required values={VICTIM_ROLES} labelPrefix="victimRole" emptyLabel={t('incidents.choose')} />
              <EnumSelect
                id="inc-perpetratorRelation"
                label={t('incidents.perpetratorRelation')}
                value={form.perpetratorRelation}
                onChange={set('perpetratorRelation')}
                error={err('perpetratorRelation')}
                required
               values={PERPETRATOR_RELATIONS} labelPrefix="perpetratorRelation" emptyLabel={t('incidents.choose')} />
              <TextField id="inc-policeReportNumber" label={t('incidents.policeReportNumber')} value={form.policeReportNumber} onChange={set('policeReportNumber')} error={err('policeReportNumber')} maxLength={50} />
              <SelectField id="inc-sickLeave" label={t('incidents.sickLeave')} value={form.sickLeave} onChange={set('sickLeave')}>
                <option value="no">{t('common.no')}</option>
                <option value="yes">{t('common.yes')}</option>
              </SelectField>
              {form.sickLeave === 'yes' && (
                <TextField id="inc-sickLeaveDays" label={t('incidents.sickLeaveDays')} type="number" inputMode="numeric" min={1} step={1} value={form.sickLeaveDays} onChange={set('sickLeaveDays')} error={err('sickLeaveDays')} />
              )}
            </fieldset>
          )}
          <TextAreaField id="inc-description" label={t('incidents.description')} value={form.description} onChange={set('description')} error={err('description')} required maxLength={10000} rows={4} />
          <TextField
            id="inc-occurredAt"
            label={t('incidents.occurredAt')}
            type="datetime-local"
            value={form.occurredAt}
            max={nowLocal()}
            onChange={set('occurredAt')}
            error={err('occurredAt')}
            description={t('incidents.occurredAtHint')}
            required
          />
          {staff && (
            <TextField
              id="inc-knownAt"
              label={t('incidentsMore.knownAt')}
              type="datetime-local"
              value={form.knownAt}
              min={form.occurredAt || undefined}
              max={nowLocal()}
              onChange={set('knownAt')}
              error={err('knownAt')}
              description={t('incidentsMore.knownAtHint')}
              required
            />
          )}
          {/* A place or a position is required for every category (validate above): say so, as for the other required fields (issue #13 item 9). */}
          <fieldset className="fieldset" aria-describedby="inc-where-hint">
            <legend>
              {t('incidents.where')} <span className="required">{t('common.required')}</span>
            </legend>
            <p id="inc-where-hint" className="small muted">
              {t('incidents.placeOrPosition')}
            </p>
            <div className="button-row">
              <button type="button" className="btn" onClick={locate} disabled={posState === 'locating'}>
                {t('incidents.useMyPosition')}
              </button>
              {pos && (
                <button type="button" className="btn" onClick={() => setPos(null)}>
                  {t('incidents.clearPosition')}
                </button>
              )}
            </div>
            <div role="status">
              {posState === 'locating' && <p>{t('incidents.locating')}</p>}
              {pos && (
                <p>
                  {t('incidents.positionSet')} <PositionText position={pos} />
                </p>
              )}
            </div>
            {(posState === 'denied' || posState === 'unavailable') && (
              <p className="field-error" role="alert">
                {t(posState === 'denied' ? 'incidents.positionDenied' : 'incidents.positionUnavailable')}
              </p>
            )}
            <PositionInput onSet={(p) => (setPos(p), setPosState('idle'))} />
            {api?.field('location') && <p className="field-error">{api.field('location')}</p>}
            <TextField id="inc-place" label={t('incidents.place')} value={form.place} onChange={set('place')} error={err('place')} description={t('incidents.placeHint')} maxLength={300} autoComplete="off" />
          </fieldset>
          <SelectField id="inc-organisationId" label={t('incidents.organisation')} value={form.organisationId} onChange={set('organisationId')} error={err('organisationId')} required>
            <option value="">{t('incidents.choose')}</option>
            {orgChoices.map(({ org, depth }) => (
              <option key={org.id} value={org.id}>
                {'\u00a0'.repeat(depth * 2)}
                {org.name}
              </option>
            ))}
          </SelectField>
          {orgs.query.data && orgChoices.length === 0 && <p className="field-error">{t('incidentsMore.noReportableOrgs')}</p>}
          <TextField id="inc-premises" label={t('incidents.premises')} value={form.premises} onChange={set('premises')} error={err('premises')} maxLength={300} />
          {category && category.fields.length > 0 && (
            <fieldset className="fieldset">
              <legend>{t('incidents.extraLegend')}</legend>
              {category.fields.map((f) => (
                <ExtraField key={f.key} field={f} value={form.extra[f.key]} onChange={(v) => setExtra(f.key, v)} error={err(`extra-${f.key}`) ?? api?.field(f.key)} />
              ))}
            </fieldset>
          )}
          <div className="field">
            <label htmlFor="inc-photos">{t('incidents.photos')}</label>
            <input
              id="inc-photos"
              type="file"
              multiple
              accept="image/png,image/jpeg,image/gif,image/webp"
              aria-describedby="inc-photos-desc"
              onChange={(e) => setFiles([...(e.target.files ?? [])])}
            />
            <p id="inc-photos-desc" className="field-desc">
              {t('incidents.photosHint')}
            </p>
            {files.length > 0 && (
              <ul className="small">
                {files.map((f, i) => (
                  <li key={`${i}-${f.name}`}>{f.name}</li>
                ))}
              </ul>
            )}
          </div>
          <CheckboxField id="inc-anonymous" label={t('incidents.anonymous')} checked={form.anonymous} onChange={(e) => setForm((f) => ({ ...f, anonymous: e.target.checked }))} aria-describedby="inc-anonymous-desc" />
          <p id="inc-anonymous-desc" className="field-desc">
            {t('incidents.anonymousHint')}
          </p>
          {Object.values(errors).some(Boolean) && (
            <p className="field-error" role="alert">
              {t('common.fixErrors')}
            </p>
          )}
          <ErrorMessage error={serverError} />
          <div role="status">
            {progress.map((p, i) => (
              <p key={i} className="small">
                {p}
              </p>
            ))}
          </div>
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={pending}>
              {pending ? t('incidents.sending') : t('incidents.submit')}
            </button>
          </div>
        </form>
      )}
    </>
  );
}

function ExtraField({ field, value, onChange, error }: { field: CategoryField; value: string | boolean | undefined; onChange: (v: string | boolean) => void; error?: string }) {
  const { t } = useTranslation();
  const id = `inc-extra-${field.key}`;
  if (field.type === 'boolean') return <CheckboxField id={id} label={field.label} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  if (field.type === 'select')
    return (
      <SelectField id={id} label={field.label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} error={error} required={field.required}>
        <option value="">{t('incidents.choose')}</option>
        {(field.options ?? []).map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </SelectField>
    );
  return (
    <TextField
      id={id}
      label={field.label}
      type={field.type === 'number' ? 'number' : 'text'}
      value={String(value ?? '')}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      required={field.required}
    />
  );
}
