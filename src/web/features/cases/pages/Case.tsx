import { useRef, useState } from 'react';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import { CASE_STATUSES, RECORD_DIRECTIONS, RECORD_FILE_MAX_BYTES } from '../../../../shared/schemas/cases.ts';
import { ApiError } from '../../../api/client.ts';
import { casesApi, decisionsApi, type CaseDetailT, type CaseRecordT, type CaseStatus } from '../api.ts';
import { FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, Notice, QueryState } from '../../../components/Feedback.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Breadcrumb } from '../../../components/Breadcrumb.tsx';
import { todayInStockholm } from '../../../format.ts';
import { LinkedIncidents } from '../../../components/LinkedIncidents.tsx';
import { CaseTabs } from '../components/CaseTabs.tsx';
import { AppealClock } from '../components/AppealClock.tsx';
import { SecrecyBadge, SecrecyButton } from '../../shares/components/Secrecy.tsx';
import { SharesButton, SharesSection } from '../../shares/components/Shares.tsx';

const ACCEPT = '.pdf,.docx,.png,.jpg,.jpeg,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,image/png,image/jpeg';
const sizeText = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} kB` : `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`);

/** The appeal clocks of the case's decisions whose notice is posted and whose appeal period still runs. */
function AppealClocks({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const decisions = useQuery({ queryKey: ['decisions', caseId], queryFn: () => decisionsApi.list(caseId) });
  const running = (decisions.data?.items ?? []).filter((d) => d.notice && d.notice.daysLeft >= 0);
  if (!running.length) return null;
  return (
    <section className="card" aria-labelledby="case-appeal-h">
      <h2 id="case-appeal-h">{t('meetings.appealClock')}</h2>
      <ul className="plain-list">
        {running.map((d) => (
          <li key={d.id}>
            <Link to="/arenden/$id/beslut" params={{ id: caseId }}>
              {[d.bodyShortName ?? d.bodyName, d.decidedOn, d.paragraph !== null ? `§ ${d.paragraph}` : null].filter(Boolean).join(' ')}
            </Link>
            : <AppealClock notice={d.notice!} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CasePage() {
  const { id } = useParams({ from: '/app/arenden/$id' });
  const { t } = useTranslation();
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['case', id], queryFn: () => casesApi.get(id) });
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  if (query.isPending || query.error) return <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />;
  const c = query.data;
  const write = c.allowedActions.includes('cases.register') || c.allowedActions.includes('cases.handle');
  const changed = (message: string, fresh?: CaseDetailT) => {
    if (fresh) qc.setQueryData(['case', id], fresh);
    else void query.refetch();
    void qc.invalidateQueries({ queryKey: ['cases'] });
    setNotice(message);
  };
  const child = c.concernsChildren === null ? t('cases.notAssessed') : c.concernsChildren ? t('common.yes') : t('common.no');
  return (
    <>
      <Breadcrumb items={[{ label: t('nav.cases'), to: '/arenden' }, { label: c.registryNumber }]} />
      <PageTitle title={`${c.registryNumber} ${c.title}`}>
        <span className="case-number">{c.registryNumber}</span> {c.title}
      </PageTitle>
      <p>
        {c.isExample && <span className="badge">{t('cases.example')}</span>} <SecrecyBadge secrecyRef={c.secrecyRef} />
      </p>
      <CaseTabs caseId={c.id} registryNumber={c.registryNumber} />
      <Notice message={notice} />
      <AppealClocks caseId={c.id} />
      <section className="card" aria-labelledby="case-overview-h">
        <h2 id="case-overview-h" tabIndex={-1}>
          {t('cases.overview')}
        </h2>
        {c.description && <p className="pre-wrap">{c.description}</p>}
        <dl className="dl">
          <dt>{t('cases.number')}</dt>
          <dd>{c.registryNumber}</dd>
          {c.externalRegistryNumber && (
            <>
              <dt>{t('cases.externalNumber')}</dt>
              <dd>{c.externalRegistryNumber}</dd>
            </>
          )}
          <dt>{t('cases.status')}</dt>
          <dd>
            {t(`caseStatus.${c.status}`)}
            {c.closedOn ? ` (${c.closedOn})` : ''}
          </dd>
          <dt>{t('cases.caseType')}</dt>
          <dd>{c.caseType}</dd>
          <dt>{t('cases.registryBody')}</dt>
          <dd>{c.registryOrganisation.name}</dd>
          <dt>{t('cases.responsible')}</dt>
          <dd>{c.organisation.name}</dd>
          <dt>{t('cases.officer')}</dt>
          <dd>{c.officer?.name ?? t('cases.noOfficer')}</dd>
          <dt>{t('cases.registeredOn')}</dt>
          <dd>{c.registeredOn}</dd>
          <dt>{t('cases.concernsChildren')}</dt>
          <dd>{child}</dd>
          <dt>{t('cases.childAssessment')}</dt>
          <dd className="pre-wrap">{c.childAssessment ?? '–'}</dd>
          <dt>{t('cases.secrecy')}</dt>
          <dd>{c.secrecyRef ? t('cases.secrecyMarked', { ref: c.secrecyRef, by: c.secrecyMarkedBy?.name ?? '–', on: c.secrecyMarkedOn ?? '–' }) : t('cases.noSecrecy')}</dd>
        </dl>
        {write && (
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            {t('cases.edit')}
          </button>
        )}{' '}
        {c.allowedActions.includes('cases.secret') && <SecrecyButton type="case" id={c.id} onChange={() => void query.refetch()} />}
      </section>
      <section className="card" aria-labelledby="case-records-h">
        <h2 id="case-records-h" tabIndex={-1}>
          {t('cases.records')}
        </h2>
        {write && (
          <div className="toolbar">
            <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
              {t('cases.addRecord')}
            </button>
          </div>
        )}
        <Records c={c} write={write} onChanged={(m) => changed(m)} />
      </section>
      <SharesSection recordType="case" recordId={c.id} />
      <LinkedIncidents filter={{ caseId: c.id }} heading={t('incidentCases.caseIncidents')} empty={t('incidentCases.caseIncidentsEmpty')} />
      {editing && (
        <EditCaseDialog
          c={c}
          onClose={() => setEditing(false)}
          onSaved={(fresh) => {
            setEditing(false);
            changed(t('cases.savedNotice'), fresh);
          }}
          onReload={() => {
            setEditing(false);
            void query.refetch();
          }}
        />
      )}
      {adding && (
        <AddRecordDialog
          c={c}
          onClose={() => setAdding(false)}
          onDone={(message) => {
            setAdding(false);
            changed(message);
          }}
        />
      )}
    </>
  );
}

function Records({ c, write, onChanged }: { c: CaseDetailT; write: boolean; onChanged: (m: string) => void }) {
  const { t } = useTranslation();
  const [attaching, setAttaching] = useState<CaseRecordT | null>(null);
  if (c.records.length === 0) return <Empty>{t('cases.noRecords')}</Empty>;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{t('cases.recordsOf', { number: c.registryNumber })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cases.recordNumber')}</th>
            <th scope="col">{t('cases.recordDate')}</th>
            <th scope="col">{t('cases.direction')}</th>
            <th scope="col">{t('cases.recordTitle')}</th>
            <th scope="col">{t('cases.counterpart')}</th>
            <th scope="col">{t('cases.files')}</th>
          </tr>
        </thead>
        <tbody>
          {c.records.map((r) => (
            <tr key={r.id}>
              <td className="nowrap">{r.number}</td>
              <td className="nowrap">{r.recordDate}</td>
              <td>{t(`recordDirection.${r.direction}`)}</td>
              <td>
                {r.title} <SecrecyBadge secrecyRef={r.secrecyRef} />
                <span className="block">
                  {c.allowedActions.includes('cases.secret') && <SecrecyButton type="record" id={r.id} label={r.number} onChange={onChanged} />}{' '}
                  <SharesButton recordType="record" recordId={r.id} title={r.number} />
                </span>
              </td>
              <td>{r.counterpartOrganisation?.name ?? r.counterpart ?? '–'}</td>
              <td>
                <ul className="plain-list">
                  {r.files.map((f) => (
                    <li key={f.id}>
                      <a href={casesApi.fileUrl(c.id, r.id, f.id)} download={f.filename}>
                        {f.filename}
                      </a>{' '}
                      <span className="small muted">({sizeText(f.size)})</span>
                    </li>
                  ))}
                </ul>
                {write && (
                  <button type="button" className="btn btn-small" onClick={() => setAttaching(r)} aria-label={t('cases.attachTo', { number: r.number })}>
                    {t('cases.attach')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {attaching && (
        <AttachDialog
          caseId={c.id}
          record={attaching}
          onClose={() => setAttaching(null)}
          onDone={() => {
            setAttaching(null);
            onChanged(t('cases.fileAdded'));
          }}
        />
      )}
    </div>
  );
}

/** A file input with the registry's rules (types, size) told up front and checked before sending. */
function FilePicker({ file, setFile, error }: { file: File | null; setFile: (f: File | null) => void; error?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  return (
    <div className="field">
      <label htmlFor="record-file">{t('cases.file')}</label>
      <input
        ref={ref}
        id="record-file"
        type="file"
        accept={ACCEPT}
        aria-describedby={`record-file-desc${error ? ' record-file-err' : ''}`}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <p id="record-file-desc" className="field-desc">
        {t('cases.fileHint')}
        {file ? ` ${t('cases.fileChosen', { name: file.name, size: sizeText(file.size) })}` : ''}
      </p>
      {error && (
        <p id="record-file-err" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function AttachDialog({ caseId, record, onClose, onDone }: { caseId: string; record: CaseRecordT; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [local, setLocal] = useState<string>();
  const send = useMutation({ mutationFn: (f: File) => casesApi.addFile(caseId, record.id, f), onSuccess: onDone });
  return (
    <FormDialog
      isOpen
      title={t('cases.attachTitle', { number: record.number })}
      submitLabel={t('cases.attach')}
      onClose={onClose}
      pending={send.isPending}
      error={send.error}
      onSubmit={() => {
        if (!file) return setLocal(t('cases.fileRequired'));
        if (file.size > RECORD_FILE_MAX_BYTES) return setLocal(t('cases.fileTooBig'));
        setLocal(undefined);
        send.mutate(file);
      }}
    >
      <FilePicker file={file} setFile={setFile} error={local} />
    </FormDialog>
  );
}

function AddRecordDialog({ c, onClose, onDone }: { c: CaseDetailT; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ direction: 'incoming', recordDate: todayInStockholm(), title: '', counterpart: '', counterpartOrganisationId: '', secrecyRef: '', secrecyReason: '' });
  const [file, setFile] = useState<File | null>(null);
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [created, setCreated] = useState<CaseRecordT | null>(null);
  const save = useMutation({
    mutationFn: async () => {
      // The record first (it gets its number); then its file. A refused file leaves the record registered, and says so.
      const record =
        created ??
        (await casesApi.addRecord(c.id, {
          direction: v.direction as CaseRecordT['direction'],
          recordDate: v.recordDate,
          title: v.title,
          counterpart: v.counterpart || null,
          counterpartOrganisationId: v.counterpartOrganisationId || null,
          secrecyRef: v.secrecyRef || null,
          secrecyReason: v.secrecyRef ? v.secrecyReason || null : null,
        }));
      setCreated(record);
      if (file) await casesApi.addFile(c.id, record.id, file);
      return record;
    },
    onSuccess: (r) => onDone(t('cases.recordAdded', { number: r.number })),
  });
  const apiErr = save.error instanceof ApiError ? save.error : undefined;
  const err = (k: string) => local[k] ?? (created ? undefined : apiErr?.field(k));
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((s) => ({ ...s, [k]: e.target.value }));
  return (
    <FormDialog
      isOpen
      title={t('cases.addRecordTitle', { number: c.registryNumber })}
      submitLabel={created ? t('cases.retryFile') : t('cases.addRecordSubmit')}
      onClose={created ? () => onDone(t('cases.recordAdded', { number: created.number })) : onClose}
      pending={save.isPending}
      error={apiErr?.fields.length && !created ? null : save.error}
      onSubmit={() => {
        const req = t('common.fieldRequired');
        const problems = {
          title: v.title.trim() ? undefined : req,
          recordDate: v.recordDate ? undefined : req,
          secrecyReason: v.secrecyRef.trim() && !v.secrecyReason.trim() ? req : undefined,
          file: file && file.size > RECORD_FILE_MAX_BYTES ? t('cases.fileTooBig') : undefined,
        };
        setLocal(problems);
        const first = Object.entries(problems).find(([, m]) => m)?.[0];
        if (first) return document.getElementById(first === 'file' ? 'record-file' : `rec-${first}`)?.focus();
        save.mutate();
      }}
    >
      {created && <p className="alert alert-warn">{t('cases.recordCreatedFileFailed', { number: created.number })}</p>}
      <fieldset className="fieldset" disabled={!!created}>
        <legend>{t('cases.recordLegend')}</legend>
        <div className="grid-2">
          <EnumSelect id="rec-direction" label={t('cases.direction')} value={v.direction} onChange={set('direction')} required values={RECORD_DIRECTIONS} labelPrefix="recordDirection" />
          <TextField id="rec-recordDate" type="date" label={t('cases.recordDate')} value={v.recordDate} onChange={set('recordDate')} error={err('recordDate')} required />
        </div>
        <TextField id="rec-title" label={t('cases.recordTitle')} value={v.title} onChange={set('title')} error={err('title')} required maxLength={500} />
        <div className="grid-2">
          <TextField id="rec-counterpart" label={t('cases.counterpartText')} description={t('cases.counterpartHint')} value={v.counterpart} onChange={set('counterpart')} error={err('counterpart')} maxLength={300} />
          <OrganisationSelect id="rec-counterpartOrganisationId" label={t('cases.counterpartOrganisation')} value={v.counterpartOrganisationId} onChange={set('counterpartOrganisationId')} error={err('counterpartOrganisationId')} emptyLabel={t('cases.none')} />
        </div>
        <TextField id="rec-secrecyRef" label={t('cases.secrecyRef')} description={t('recordDialog.secrecyRefHint')} value={v.secrecyRef} onChange={set('secrecyRef')} error={err('secrecyRef')} maxLength={200} />
        {v.secrecyRef.trim() && (
          <TextAreaField id="rec-secrecyReason" label={t('cases.secrecyReason')} value={v.secrecyReason} onChange={set('secrecyReason')} error={err('secrecyReason')} required maxLength={2000} />
        )}
      </fieldset>
      <FilePicker file={file} setFile={setFile} error={local.file} />
    </FormDialog>
  );
}

function EditCaseDialog({ c, onClose, onSaved, onReload }: { c: CaseDetailT; onClose: () => void; onSaved: (fresh: CaseDetailT) => void; onReload: () => void }) {
  const { t } = useTranslation();
  const options = useQuery({ queryKey: ['case-options'], queryFn: () => casesApi.options() });
  const form = useForm(
    {
      title: c.title,
      description: c.description ?? '',
      caseType: c.caseType,
      status: c.status as string,
      organisationId: c.organisation.id,
      officerId: c.officer?.id ?? '',
      concernsChildren: c.concernsChildren === null ? '' : c.concernsChildren ? 'yes' : 'no',
      childAssessment: c.childAssessment ?? '',
      externalRegistryNumber: c.externalRegistryNumber ?? '',
    },
    {
      focusPrefix: 'edit-',
      validate: (v) => ({
        title: v.title.trim() ? undefined : t('common.fieldRequired'),
        childAssessment: v.concernsChildren && !v.childAssessment.trim() ? t('cases.childAssessmentRequired') : undefined,
      }),
      submit: (v) =>
        casesApi.update(c.id, {
          version: c.version,
          title: v.title,
          description: v.description || null,
          caseType: v.caseType,
          status: v.status as CaseStatus,
          organisationId: v.organisationId,
          officerId: v.officerId || null,
          concernsChildren: v.concernsChildren === '' ? null : v.concernsChildren === 'yes',
          childAssessment: v.childAssessment || null,
          externalRegistryNumber: v.externalRegistryNumber.trim() || null,
        }),
      onSuccess: onSaved,
    },
  );
  const { values: v, set, err } = form;
  const caseTypes = options.data?.caseTypes ?? [c.caseType];
  const officers = [...(options.data?.officers ?? [])];
  if (c.officer && !officers.some((o) => o.id === c.officer!.id)) officers.unshift(c.officer);
  return (
    <FormDialog
      isOpen
      title={t('cases.editTitle', { number: c.registryNumber })}
      onClose={onClose}
      onReload={onReload}
      pending={form.submitting}
      error={form.error instanceof ApiError && form.error.fields.length ? null : form.error}
      onSubmit={() => void form.handleSubmit()}
    >
      <TextField id="edit-title" label={t('cases.title')} value={v.title} onChange={set('title')} error={err('title')} required maxLength={500} />
      <TextField id="edit-externalRegistryNumber" label={t('cases.externalNumber')} description={t('cases.externalNumberHint')} value={v.externalRegistryNumber} onChange={set('externalRegistryNumber')} error={err('externalRegistryNumber')} maxLength={60} />
      <TextAreaField id="edit-description" label={t('cases.description')} value={v.description} onChange={set('description')} error={err('description')} maxLength={20000} />
      <div className="grid-2">
        <EnumSelect id="edit-status" label={t('cases.status')} description={t('cases.statusHint')} value={v.status} onChange={set('status')} values={CASE_STATUSES} labelPrefix="caseStatus" />
        <SelectField id="edit-caseType" label={t('cases.caseType')} value={v.caseType} onChange={set('caseType')} error={err('caseType')}>
          {(caseTypes.includes(c.caseType) ? caseTypes : [c.caseType, ...caseTypes]).map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </SelectField>
        <OrganisationSelect id="edit-organisationId" label={t('cases.responsible')} value={v.organisationId} onChange={set('organisationId')} error={err('organisationId')} />
        <SelectField id="edit-officerId" label={t('cases.officer')} value={v.officerId} onChange={set('officerId')} error={err('officerId')}>
          <option value="">{t('cases.noOfficer')}</option>
          {officers.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
      </div>
      <SelectField id="edit-concernsChildren" label={t('cases.concernsChildren')} value={v.concernsChildren} onChange={set('concernsChildren')}>
        <option value="">{t('cases.notAssessed')}</option>
        <option value="yes">{t('common.yes')}</option>
        <option value="no">{t('common.no')}</option>
      </SelectField>
      <TextAreaField id="edit-childAssessment" label={t('cases.childAssessment')} description={t('cases.childAssessmentHint')} value={v.childAssessment} onChange={set('childAssessment')} error={err('childAssessment')} required={!!v.concernsChildren} maxLength={5000} />
    </FormDialog>
  );
}
