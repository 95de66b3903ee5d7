import { useId, useRef, useState } from 'react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import { DOCUMENT_STATES, DOCUMENT_TYPES, REVIEW_FILTERS, type DocumentStatus, type DocumentType } from '../../../../shared/schemas/documents.ts';
import { holds } from '../../auth/api.ts';
import { governingDocumentsApi as docsApi, type GovDocDetailT, type GovDocT } from '../api.ts';
import { AppDialog, ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { ExportPanel } from '../../../components/ExportPanel.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { CheckboxGroup, SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { DocumentStateBadge } from '../../../components/DocumentState.tsx';
import { useMe } from '../../../session.ts';
import { SecrecyBadge, SecrecyControl } from '../../shares/components/Secrecy.tsx';
import { Forbidden } from '../../shell/pages/NotFound.tsx';

const isFinal = (s: DocumentStatus) => s === 'repealed' || s === 'replaced';
/** The statuses a manager may choose from the current one (the server enforces the same rules). */
const NEXT: Record<DocumentStatus, DocumentStatus[]> = {
  draft: ['draft', 'in_force'],
  in_force: ['in_force', 'repealed', 'replaced'],
  repealed: ['repealed', 'in_force', 'draft'],
  replaced: ['replaced', 'in_force', 'draft'],
};

/** The status as it reads today (the same badge as on the program page). */
export const StatusBadge = DocumentStateBadge;

function period(d: Pick<GovDocT, 'validFrom' | 'validTo'>) {
  if (!d.validFrom && !d.validTo) return '–';
  return `${d.validFrom ?? ''}–${d.validTo ?? ''}`;
}
function decisionText(d: Pick<GovDocT, 'adoptedByName' | 'decisionRef' | 'adoptedOn'>) {
  return [d.adoptedByName, d.decisionRef ?? d.adoptedOn].filter(Boolean).join(' ') || '–';
}

const emptyFilter = { q: '', type: '', status: '', ownerOrganisationId: '', review: '' };

export function GoverningDocumentsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate({ from: '/styrdokument' });
  const search = useSearch({ from: '/app/styrdokument' });
  const allowed = holds(me, 'documents.read');
  const [filter, setFilter] = useState(emptyFilter);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const q = {
    q: filter.q.trim() || undefined,
    type: filter.type || undefined,
    status: filter.status || undefined,
    ownerOrganisationId: filter.ownerOrganisationId || undefined,
    review: filter.review || undefined,
    limit: 500,
  };
  const list = useQuery({ queryKey: ['documents', q], queryFn: () => docsApi.list(q), enabled: allowed });
  if (!allowed) return <Forbidden />;
  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value }));
  const open = (id: string | undefined) => void navigate({ search: id ? { dokument: id } : {} });

  return (
    <>
      <PageTitle title={t('govdocs.title')}>{t('govdocs.title')}</PageTitle>
      <p className="lead">{t('govdocs.intro')}</p>
      <Notice message={notice} />
      {holds(me, 'documents.manage') && (
        <div className="toolbar">
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t('govdocs.register')}
          </button>
        </div>
      )}
      <form className="card filters" aria-label={t('govdocs.filters')} onSubmit={(e) => e.preventDefault()} role="search">
        <div className="grid-2">
          <TextField label={t('govdocs.search')} type="search" value={filter.q} onChange={set('q')} maxLength={200} />
          <EnumSelect label={t('govdocs.type')} value={filter.type} onChange={set('type')} values={DOCUMENT_TYPES} labelPrefix="documentType" emptyLabel={t('govdocs.allTypes')} />
          <EnumSelect label={t('govdocs.status')} value={filter.status} onChange={set('status')} values={DOCUMENT_STATES} labelPrefix="documentState" emptyLabel={t('govdocs.allStatuses')} />
          <OrganisationSelect label={t('govdocs.owner')} value={filter.ownerOrganisationId} onChange={set('ownerOrganisationId')} emptyLabel={t('govdocs.allOwners')} />
          <SelectField label={t('govdocs.review')} value={filter.review} onChange={set('review')}>
            <option value="">{t('govdocs.allReviews')}</option>
            {REVIEW_FILTERS.map((r) => (
              <option key={r} value={r}>
                {t(r === 'overdue' ? 'govdocs.reviewOverdueFilter' : 'govdocs.reviewDueFilter')}
              </option>
            ))}
          </SelectField>
        </div>
        <button type="button" className="btn" onClick={() => setFilter(emptyFilter)}>
          {t('govdocs.clear')}
        </button>
      </form>
      <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />
      {list.data && (
        <>
          <p role="status" className="muted">
            {t('govdocs.count', { count: list.data.total })}
          </p>
          {list.data.items.length === 0 ? (
            <Empty>{t('govdocs.empty')}</Empty>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('govdocs.title')}>
              <table className="table">
                <caption className="visually-hidden">{t('govdocs.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('govdocs.name')}</th>
                    <th scope="col">{t('govdocs.type')}</th>
                    <th scope="col">{t('govdocs.status')}</th>
                    <th scope="col">{t('govdocs.owner')}</th>
                    <th scope="col">{t('govdocs.decision')}</th>
                    <th scope="col">{t('govdocs.validity')}</th>
                    <th scope="col">{t('govdocs.nextReview')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((d) => (
                    <tr key={d.id}>
                      <th scope="row">
                        <Link to="/styrdokument" search={{ dokument: d.id }} className="strong">
                          {d.title}
                        </Link>
                        {d.isExample && <> <span className="badge">{t('govdocs.example')}</span></>} <SecrecyBadge secrecyRef={d.secrecyRef} />
                      </th>
                      <td>{t(`documentType.${d.type}`)}</td>
                      <td>
                        <StatusBadge state={d.state} />
                      </td>
                      <td>{d.ownerName}</td>
                      <td>{decisionText(d)}</td>
                      <td className="nowrap">{period(d)}</td>
                      <td className="nowrap">
                        {d.nextReviewOn ?? '–'}
                        {d.reviewOverdue && (
                          <>
                            {' '}
                            <span className="badge badge-danger">{t('govdocs.overdue')}</span>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <section className="card" aria-labelledby="govdocs-export-h">
        <h2 id="govdocs-export-h">{t('govdocs.exportTitle')}</h2>
        <p>{t('govdocs.exportIntro')}</p>
        <ExportPanel kind="documents.in-force" params={{}} formats={['pdf', 'xlsx']} what={t('govdocs.exportWhat')} />
      </section>
      {creating && (
        <DocumentForm
          onClose={() => setCreating(false)}
          onDone={(d) => {
            setCreating(false);
            setNotice(t('govdocs.created', { title: d.title }));
            open(d.id);
          }}
        />
      )}
      {search.dokument && <DocumentDialog key={search.dokument} id={search.dokument} onClose={() => open(undefined)} onNotice={setNotice} />}
    </>
  );
}

/** A document's details, its file and links; managers upload the file and edit from here. */
function DocumentDialog({ id, onClose, onNotice }: { id: string; onClose: () => void; onNotice: (m: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['document', id], queryFn: () => docsApi.get(id) });
  const [editing, setEditing] = useState(false);
  const d = query.data;
  const title = d?.title ?? t('govdocs.title');
  if (editing && d)
    return (
      <DocumentForm
        current={d}
        onClose={() => setEditing(false)}
        onReload={() => void query.refetch()}
        onDone={(fresh) => {
          qc.setQueryData(['document', id], fresh);
          void qc.invalidateQueries({ queryKey: ['documents'] });
          setEditing(false);
          onNotice(t('govdocs.saved', { title: fresh.title }));
        }}
      />
    );
  const manage = !!d?.allowedActions.includes('documents.manage');
  return (
    <AppDialog isOpen title={title} onClose={onClose}>
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {d && (
        <>
          <dl className="dl" aria-label={t('govdocs.details', { title: d.title })}>
            <dt>{t('govdocs.type')}</dt>
            <dd>
              {t(`documentType.${d.type}`)}
              {d.programId && (
                <>
                  {' '}
                  <Link to="/program/$id" params={{ id: d.programId }}>
                    {t('govdocs.openProgram', { title: d.title })}
                  </Link>
                </>
              )}
            </dd>
            <dt>{t('govdocs.status')}</dt>
            <dd>
              <StatusBadge state={d.state} />
              {isFinal(d.status) && (d.statusChangedOn || d.statusDecision || d.statusDecisionRef) && (
                <>
                  {' '}
                  {d.statusChangedOn}{' '}
                  {d.statusDecision ? <DecisionLink decision={d.statusDecision} /> : d.statusDecisionRef}
                </>
              )}
            </dd>
            <dt>{t('govdocs.owner')}</dt>
            <dd>{d.ownerName}</dd>
            <dt>{t('govdocs.adoptedBy')}</dt>
            <dd>{d.adoptedByName ?? '–'}</dd>
            <dt>{t('govdocs.decision')}</dt>
            <dd>{d.decision ? <DecisionLink decision={d.decision} /> : (d.decisionRef ?? '–')}</dd>
            <dt>{t('govdocs.adoptedOn')}</dt>
            <dd>{d.adoptedOn ?? '–'}</dd>
            <dt>{t('govdocs.validity')}</dt>
            <dd>{period(d)}</dd>
            <dt>{t('govdocs.nextReview')}</dt>
            <dd>
              {d.nextReviewOn ?? '–'}
              {d.reviewOverdue && (
                <>
                  {' '}
                  <span className="badge badge-danger">{t('govdocs.overdue')}</span>
                </>
              )}
            </dd>
            <dt>{t('govdocs.replaces')}</dt>
            <dd>
              {d.replaces.length === 0
                ? t('govdocs.none')
                : d.replaces.map((r, i) => (
                    <span key={r.id}>
                      {i > 0 && ', '}
                      <Link to="/styrdokument" search={{ dokument: r.id }}>
                        {r.title}
                      </Link>{' '}
                      ({t(`documentStatus.${r.status}`)})
                    </span>
                  ))}
            </dd>
            <dt>{t('govdocs.replacedBy')}</dt>
            <dd>
              {d.replacedBy ? (
                <>
                  <Link to="/styrdokument" search={{ dokument: d.replacedBy.id }}>
                    {d.replacedBy.title}
                  </Link>{' '}
                  ({t(`documentStatus.${d.replacedBy.status}`)})
                </>
              ) : (
                t('govdocs.none')
              )}
            </dd>
            {d.description && (
              <>
                <dt>{t('govdocs.description')}</dt>
                <dd className="pre-wrap">{d.description}</dd>
              </>
            )}
            <dt>{t('govdocs.file')}</dt>
            <dd>
              {d.file ? (
                <a href={docsApi.fileUrl(d.id)} download={d.file.name}>
                  {t('govdocs.download', { name: d.file.name })}
                </a>
              ) : (
                t('govdocs.noFile')
              )}
            </dd>
          </dl>
          {manage && <SecrecyControl type="document" id={d.id} label={d.title} onChange={onNotice} />}
          {manage && (
            <FileUpload
              doc={d}
              onDone={(fresh) => {
                qc.setQueryData(['document', id], fresh);
                void qc.invalidateQueries({ queryKey: ['documents'] });
                onNotice(t('govdocs.uploaded', { name: fresh.file?.name ?? '' }));
              }}
            />
          )}
        </>
      )}
      <div className="button-row">
        {manage && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing(true)}>
            {t('govdocs.edit')}
          </button>
        )}
        <button type="button" className="btn" onClick={onClose}>
          {t('govdocs.close')}
        </button>
      </div>
    </AppDialog>
  );
}

function DecisionLink({ decision }: { decision: NonNullable<GovDocDetailT['decision']> }) {
  const { t } = useTranslation();
  const text = t('govdocs.decisionLink', { body: decision.bodyName, date: decision.decidedOn ?? '', paragraph: decision.paragraph ?? '', number: decision.registryNumber });
  // The case's decision page belongs to the cases module (a plain link: the route is registered there).
  return (
    // The visible text names the body, date, § and case: the accessible name is that text (axe: label-content-name-mismatch).
    <a href={`/arenden/${decision.caseId}/beslut`} title={t('govdocs.openCase', { number: decision.registryNumber })}>
      {text}
    </a>
  );
}

function FileUpload({ doc, onDone }: { doc: GovDocDetailT; onDone: (d: GovDocDetailT) => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const mutation = useMutation({
    mutationFn: (f: File) => docsApi.upload(doc.id, f),
    onSuccess: (fresh) => {
      setFile(null);
      if (input.current) input.current.value = '';
      onDone(fresh);
    },
  });
  return (
    <form
      className="attachment-add"
      onSubmit={(e) => {
        e.preventDefault();
        if (file) mutation.mutate(file);
      }}
    >
      <label htmlFor={inputId}>{t('govdocs.chooseFile')}</label>
      <p className="hint small" id={`${inputId}-hint`}>
        {t('govdocs.fileHint')}
      </p>
      <input
        ref={input}
        id={inputId}
        type="file"
        accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        aria-describedby={`${inputId}-hint`}
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <button type="submit" className="btn btn-small" disabled={!file || mutation.isPending}>
        {mutation.isPending ? t('govdocs.uploading') : t('govdocs.upload')}
      </button>
      <ErrorMessage error={mutation.error} />
    </form>
  );
}

/** Register (no `current`) or edit a document. */
function DocumentForm({ current, onClose, onDone, onReload }: { current?: GovDocDetailT; onClose: () => void; onDone: (d: GovDocDetailT) => void; onReload?: () => void }) {
  const { t } = useTranslation();
  const all = useQuery({ queryKey: ['documents', 'all'], queryFn: () => docsApi.list({ limit: 500 }) });
  const others = (all.data?.items ?? []).filter((d) => d.id !== current?.id);
  const canRevert = !!current?.allowedActions.includes('documents.revert');
  const [confirming, setConfirming] = useState(false);
  const statuses = current ? NEXT[current.status].filter((s) => !isFinal(current.status) || s === current.status || canRevert) : (['draft', 'in_force'] as DocumentStatus[]);
  const isReverting = (status: DocumentStatus) => !!current && isFinal(current.status) && status !== current.status;
  const form = useForm(
    {
      type: (current?.type ?? 'policy') as DocumentType,
      title: current?.title ?? '',
      description: current?.description ?? '',
      ownerOrganisationId: current?.ownerOrganisationId ?? '',
      adoptedByOrganisationId: current?.adoptedByOrganisationId ?? '',
      decisionRef: current?.decisionRef ?? '',
      adoptedOn: current?.adoptedOn ?? '',
      validFrom: current?.validFrom ?? '',
      validTo: current?.validTo ?? '',
      nextReviewOn: current?.nextReviewOn ?? '',
      status: (current?.status ?? 'draft') as DocumentStatus,
      statusDecisionRef: current?.statusDecisionRef ?? '',
      replacedById: current?.replacedById ?? '',
      replacesIds: current?.replaces.map((r) => r.id) ?? [],
      revertReason: '',
    },
    {
      validate: (v) => ({
        title: v.title.trim() ? undefined : t('common.fieldRequired'),
        ownerOrganisationId: v.ownerOrganisationId ? undefined : t('common.fieldRequired'),
        validTo: v.validFrom && v.validTo && v.validTo < v.validFrom ? t('action.endBeforeStart') : undefined,
        replacedById: v.status === 'replaced' && !v.replacedById ? t('common.fieldRequired') : undefined,
        revertReason: isReverting(v.status) && !v.revertReason.trim() ? t('common.fieldRequired') : undefined,
      }),
      submit: (v) => {
        const body = {
          type: v.type,
          title: v.title.trim(),
          description: v.description.trim() || null,
          ownerOrganisationId: v.ownerOrganisationId,
          adoptedByOrganisationId: v.adoptedByOrganisationId || null,
          decisionRef: v.decisionRef.trim() || null,
          adoptedOn: v.adoptedOn || null,
          validFrom: v.validFrom || null,
          validTo: v.validTo || null,
          nextReviewOn: v.nextReviewOn || null,
          status: v.status,
          ...(isFinal(v.status) ? { statusDecisionRef: v.statusDecisionRef.trim() || null } : {}),
          replacedById: v.replacedById || null,
          replacesIds: v.replacesIds,
        };
        return current
          ? docsApi.update(current.id, { version: current.version, ...body, ...(isReverting(v.status) ? { revertReason: v.revertReason.trim() || null } : {}) })
          : docsApi.create(body);
      },
      onSuccess: onDone,
    },
  );
  const { values, set, err } = form;
  const reverting = isReverting(values.status);
  const submit = () => {
    if (!form.check()) return;
    // Repealing or replacing is final: ask first.
    if (isFinal(values.status) && values.status !== current?.status) setConfirming(true);
    else void form.send();
  };
  const heading = current ? t('govdocs.editTitle', { title: current.title }) : t('govdocs.registerTitle');
  return (
    <>
      <FormDialog isOpen={!confirming} title={heading} onClose={onClose} onSubmit={submit} submitLabel={current ? t('common.save') : t('common.create')} pending={form.submitting} error={form.error} onReload={onReload}>
        <TextField label={t('govdocs.name')} value={values.title} onChange={set('title')} error={err('title')} required maxLength={300} autoFocus />
        <EnumSelect label={t('govdocs.type')} value={values.type} onChange={set('type')} error={err('type')} required values={DOCUMENT_TYPES} labelPrefix="documentType" />
        <OrganisationSelect label={t('govdocs.owner')} value={values.ownerOrganisationId} onChange={set('ownerOrganisationId')} error={err('ownerOrganisationId')} required action="documents.manage" keep={current?.ownerOrganisationId} emptyLabel={t('common.none')} />
        <TextAreaField label={t('govdocs.description')} value={values.description} onChange={set('description')} error={err('description')} maxLength={5000} />
        <OrganisationSelect label={t('govdocs.adoptedBy')} value={values.adoptedByOrganisationId} onChange={set('adoptedByOrganisationId')} error={err('adoptedByOrganisationId')} emptyLabel={t('common.none')} />
        <TextField label={t('govdocs.decisionRef')} description={t('govdocs.decisionRefHint')} value={values.decisionRef} onChange={set('decisionRef')} error={err('decisionRef')} maxLength={200} />
        <TextField label={t('govdocs.adoptedOn')} type="date" value={values.adoptedOn} onChange={set('adoptedOn')} error={err('adoptedOn')} />
        <TextField label={t('govdocs.validFrom')} type="date" value={values.validFrom} onChange={set('validFrom')} error={err('validFrom')} />
        <TextField label={t('govdocs.validTo')} type="date" value={values.validTo} onChange={set('validTo')} error={err('validTo')} />
        <TextField label={t('govdocs.nextReview')} type="date" value={values.nextReviewOn} onChange={set('nextReviewOn')} error={err('nextReviewOn')} />
        <SelectField
          label={t('govdocs.status')}
          value={values.status}
          onChange={set('status')}
          error={err('status')}
          description={current && isFinal(current.status) ? t(canRevert ? 'govdocs.revertHint' : 'govdocs.finalHint') : undefined}
        >
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`documentStatus.${s}`)}
            </option>
          ))}
        </SelectField>
        {reverting && <TextAreaField label={t('govdocs.revertReason')} value={values.revertReason} onChange={set('revertReason')} error={err('revertReason')} required maxLength={1000} />}
        {isFinal(values.status) && (
          <TextField label={t('govdocs.statusDecisionRef')} description={t('govdocs.decisionRefHint')} value={values.statusDecisionRef} onChange={set('statusDecisionRef')} error={err('statusDecisionRef')} maxLength={200} />
        )}
        <SelectField label={t('govdocs.replacedBy')} value={values.replacedById} onChange={set('replacedById')} error={err('replacedById')} required={values.status === 'replaced'}>
          <option value="">{t('govdocs.none')}</option>
          {others.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title} ({t(`documentState.${d.state}`)})
            </option>
          ))}
        </SelectField>
        {others.length > 0 && (
          <CheckboxGroup
            legend={t('govdocs.replaces')}
            scroll
            options={others.map((d) => ({ value: d.id, label: `${d.title} (${t(`documentState.${d.state}`)})` }))}
            value={values.replacesIds}
            onChange={(v) => form.setValue('replacesIds', v)}
            error={err('replacesIds')}
          />
        )}
      </FormDialog>
      {confirming && (
        <ConfirmDialog
          isOpen
          title={t('govdocs.confirmStatusTitle', { status: t(`documentStatus.${values.status}`) })}
          text={t('govdocs.confirmStatusText')}
          confirmLabel={t('govdocs.confirmSave')}
          tone="primary"
          onClose={() => setConfirming(false)}
          onConfirm={() => void form.send().finally(() => setConfirming(false))}
          pending={form.submitting}
          error={form.error}
        />
      )}
    </>
  );
}
