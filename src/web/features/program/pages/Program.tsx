import { useMe } from '../../../session.ts';
import { canOn } from '../../../permissions.ts';
import { useRef, useState } from 'react';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ACTION_STATUSES, SUB_AREAS } from '../../../../shared/schemas/program.ts';
import { ApiError } from '../../../api/client.ts';
import { programs as programApi, type ImportResultT, type RollupFilter, type RollupT } from '../api.ts';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { ExportPanel } from '../../../components/ExportPanel.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Badge, HealthBadge, ProgressBar } from '../../../components/Progress.tsx';
import { useOrgs } from '../../../orgs.ts';
import { ActionDialog } from '../components/ActionForm.tsx';
import { useForm } from '../../../components/useForm.ts';
import { Fulfilment, GoalIndicator, IndicatorImport } from '../components/Indicators.tsx';
import { decision, period } from './Programs.tsx';
import { DocumentStateBadge } from '../../../components/DocumentState.tsx';

type FocusNode = RollupT['focusAreas'][number];
type GoalNode = FocusNode['goals'][number];
type DialogState = { kind: 'focusArea' } | { kind: 'goal'; area: FocusNode } | { kind: 'action'; area: FocusNode; goal: GoalNode } | null;

export function ProgramPage() {
  const { id } = useParams({ from: '/app/program/$id' });
  const { t } = useTranslation();
  const qc = useQueryClient();
  const orgs = useOrgs();
  const me = useMe();
  const [filter, setFilter] = useState<RollupFilter>({});
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<DialogState>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const program = useQuery({ queryKey: ['program', id], queryFn: () => programApi.get(id) });
  const rollup = useQuery({ queryKey: ['rollup', id, filter], queryFn: () => programApi.rollup(id, filter), placeholderData: keepPreviousData });
  const manage = !!program.data?.allowedActions.includes('program.manage');

  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
    void qc.invalidateQueries({ queryKey: ['rollup', id] });
    void qc.invalidateQueries({ queryKey: ['program', id] });
  };
  const setF = (k: keyof RollupFilter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value || undefined }));
  const toggle = (goalId: string) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (n.has(goalId)) n.delete(goalId);
      else n.add(goalId);
      return n;
    });

  if (program.isPending || program.error) return <QueryState isPending={program.isPending} error={program.error} refetch={() => void program.refetch()} />;
  const p = program.data;
  const r = rollup.data;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/program">{t('programs.title')}</Link>
      </p>
      <PageTitle title={p.title}>{p.title}</PageTitle>
      {p.isExample && <Badge>{t('programs.example')}</Badge>}
      <dl className="dl">
        <dt>{t('programs.kind')}</dt>
        <dd>{t(`programKind.${p.kind}`)}</dd>
        <dt>{t('programs.status')}</dt>
        <dd>
          <DocumentStateBadge state={p.status} />
        </dd>
        <dt>{t('programs.decision')}</dt>
        <dd>
          {p.decisionCaseId && p.decisionCaseNumber ? (
            // The case's decision page belongs to the cases module (a plain link, as the register has it).
            <a href={`/arenden/${p.decisionCaseId}/beslut`} aria-label={t('programs.openDecision', { ref: decision(p, t), number: p.decisionCaseNumber })}>
              {decision(p, t)}
            </a>
          ) : (
            decision(p, t)
          )}
        </dd>
        <dt>{t('programs.period')}</dt>
        <dd>{period(p)}</dd>
        {/* A program is its register entry; a draft entry is for those who may read the owner's drafts. */}
        {(p.status !== 'draft' || canOn(me, 'documents.read', p.ownerOrganisationId, orgs.index.byId)) && (
          <>
            <dt>{t('programs.inRegister')}</dt>
            <dd>
              <Link to="/styrdokument" search={{ dokument: p.documentId }}>
                {t('programs.openInRegister', { title: p.title })}
              </Link>
            </dd>
          </>
        )}
      </dl>
      {p.description && <p>{p.description}</p>}
      <Notice message={notice} />

      <section className="card" aria-labelledby="overview-h">
        <h2 id="overview-h">{t('program.overview')}</h2>
        <QueryState isPending={rollup.isPending} error={rollup.error} refetch={() => void rollup.refetch()} />
        {r && (
          <div className="rollup-summary">
            <ProgressBar value={r.progress} health={r.health} label={t('program.progress')} />
            <HealthBadge health={r.health} />
            <span className="muted">{t('program.actionCount', { count: r.actionCount })}</span>
          </div>
        )}
        {r && <Fulfilment node={r} />}
        <form className="filters" aria-label={t('program.filters')} onSubmit={(e) => e.preventDefault()}>
          <OrganisationSelect label={t('program.organisation')} value={filter.organisationId ?? ''} onChange={setF('organisationId')} emptyLabel={t('program.all')} />
          <EnumSelect label={t('program.subArea')} value={filter.subArea ?? ''} onChange={setF('subArea')} values={SUB_AREAS} labelPrefix="subArea" emptyLabel={t('program.all')} />
          <EnumSelect label={t('program.status')} value={filter.status ?? ''} onChange={setF('status')} values={ACTION_STATUSES} labelPrefix="actionStatus" emptyLabel={t('program.all')} />
          {(filter.organisationId || filter.subArea || filter.status) && (
            <div className="field">
              <button type="button" className="btn" onClick={() => setFilter({})}>
                {t('common.clearFilter')}
              </button>
            </div>
          )}
        </form>
      </section>

      {manage && (
        <div className="toolbar">
          <button type="button" className="btn" onClick={() => setDialog({ kind: 'focusArea' })}>
            {t('program.addFocusArea')}
          </button>
        </div>
      )}
      {r && r.focusAreas.length === 0 && <p className="empty">{t('program.noFocusAreas')}</p>}
      {r?.focusAreas.map((area) => (
        <section key={area.id} className="card focus-area" aria-labelledby={`fa-${area.id}`}>
          <h2 id={`fa-${area.id}`}>{t('program.focusArea', { number: area.number, title: area.title })}</h2>
          <div className="rollup-summary">
            <ProgressBar value={area.progress} health={area.health} />
            <HealthBadge health={area.health} />
            <span className="muted">{t('program.actionCount', { count: area.actionCount })}</span>
          </div>
          <Fulfilment node={area} />
          {area.goals.length === 0 && <p className="empty">{t('program.noGoals')}</p>}
          <ul className="plain-list goal-list">
            {area.goals.map((goal) => {
              const label = `${area.number}.${goal.number}`;
              const open = expanded.has(goal.id);
              return (
                <li key={goal.id} className="goal">
                  <h3 className="goal-title">
                    <button type="button" className="disclosure" aria-expanded={open} aria-controls={`goal-${goal.id}`} onClick={() => toggle(goal.id)}>
                      <span aria-hidden="true" className="chevron-small">
                        {open ? '▾' : '▸'}
                      </span>{' '}
                      {t('program.goal', { number: label, title: goal.title })}
                    </button>
                  </h3>
                  <div className="rollup-summary">
                    <ProgressBar value={goal.progress} health={goal.health} />
                    <HealthBadge health={goal.health} />
                    <span className="muted">{t('program.actionCount', { count: goal.actionCount })}</span>
                  </div>
                  <Fulfilment node={goal} />
                  <div id={`goal-${goal.id}`} hidden={!open}>
                    {open && <GoalIndicator goalId={goal.id} onChanged={setNotice} />}
                    {open && <GoalActions programId={id} goalId={goal.id} filter={filter} orgName={orgs.name} />}
                    {open && manage && (
                      <button type="button" className="btn btn-small" onClick={() => setDialog({ kind: 'action', area, goal })}>
                        {t('program.addActionTo', { number: label })}
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
          {manage && (
            <button type="button" className="btn btn-small" onClick={() => setDialog({ kind: 'goal', area })}>
              {t('program.addGoalTo', { number: area.number })}
            </button>
          )}
        </section>
      ))}

      {/* The plan export needs program.read on the owner (as the export checks): no button that ends in a refusal (issue #13 item 4). */}
      {canOn(me, 'program.read', p.ownerOrganisationId, orgs.index.byId) && (
        <section className="card" aria-labelledby="export-h">
          <h2 id="export-h">{t('program.exportPlan')}</h2>
          <ExportPanel kind="program.plan" params={{ programId: id }} formats={['xlsx', 'csv']} what={t('program.exportPlan')} />
        </section>
      )}
      {manage && <ImportSection programId={id} onImported={(m) => done(m)} />}
      {manage && <IndicatorImport programId={id} onImported={(m) => done(m)} />}

      {dialog?.kind === 'focusArea' && (
        <FocusAreaDialog programId={id} next={Math.max(0, ...(r?.focusAreas.map((f) => f.number ?? 0) ?? [])) + 1} onClose={() => setDialog(null)} onDone={() => done(t('program.focusAreaCreated'))} />
      )}
      {dialog?.kind === 'goal' && (
        <GoalDialog area={dialog.area} next={Math.max(0, ...dialog.area.goals.map((g) => g.number ?? 0)) + 1} onClose={() => setDialog(null)} onDone={() => done(t('program.goalCreated'))} />
      )}
      {dialog?.kind === 'action' && (
        <ActionDialog
          goalId={dialog.goal.id}
          goalLabel={`${dialog.area.number}.${dialog.goal.number}`}
          onClose={() => setDialog(null)}
          onDone={(a) => {
            done(t('program.actionCreated', { title: a.title }));
            void qc.invalidateQueries({ queryKey: ['rollup', id] });
          }}
        />
      )}
    </>
  );
}

function GoalActions({ programId, goalId, filter, orgName }: { programId: string; goalId: string; filter: RollupFilter; orgName: (id: string) => string }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: ['rollup', programId, { ...filter, goalId }], queryFn: () => programApi.rollup(programId, { ...filter, goalId }) });
  if (!query.data) return <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />;
  const goal = query.data.focusAreas.flatMap((f) => f.goals).find((g) => g.id === goalId);
  const actions = goal?.actions ?? [];
  const hidden = goal?.hiddenActionCount ?? 0;
  const filtered = !!(filter.organisationId || filter.subArea || filter.status);
  // The goal's figures count every action; the list shows those the reader may see.
  const hiddenNote = hidden > 0 && <p className="muted small">{t('figures.hiddenActions', { count: hidden })}</p>;
  if (actions.length === 0) return hiddenNote || <p className="empty">{t(filtered ? 'figures.noMatchingActions' : 'figures.goalNoActions')}</p>;
  return (
    <>
      <ul className="plain-list action-list">
        {actions.map((a) => (
          <li key={a.id} className="action-item">
            <Link to="/atgarder/$id" params={{ id: a.id }} className="strong">
              {a.title}
            </Link>
            {a.isExample && (
              <>
                {' '}
                <Badge>{t('action.example')}</Badge>
              </>
            )}
            <span className="muted small block">
              {orgName(a.responsibleOrganisationId)} · {t(`actionStatus.${a.status}`)}
            </span>
            <div className="rollup-summary">
              <ProgressBar value={a.progress} health={a.health} />
              <HealthBadge health={a.health} />
            </div>
          </li>
        ))}
      </ul>
      {hiddenNote}
    </>
  );
}

function FocusAreaDialog({ programId, next, onClose, onDone }: { programId: string; next: number; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ number: String(next), title: '', description: '' });
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const mutation = useMutation({
    mutationFn: () => programApi.createFocusArea(programId, { number: Number(form.number), title: form.title.trim(), description: form.description.trim() || null }),
    onSuccess: onDone,
  });
  const serverErr = mutation.error instanceof ApiError ? mutation.error : undefined;
  const err = (f: string) => local[f] ?? serverErr?.field(f);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = () => {
    const errs = {
      number: numberError(t, form.number),
      title: form.title.trim() ? undefined : t('common.fieldRequired'),
    };
    setLocal(errs);
    if (!Object.values(errs).some(Boolean)) mutation.mutate();
  };
  return (
    <FormDialog isOpen title={t('program.addFocusArea')} onClose={onClose} onSubmit={submit} submitLabel={t('common.create')} pending={mutation.isPending} error={mutation.error}>
      <TextField label={t('program.number')} type="number" min={1} max={999} value={form.number} onChange={set('number')} error={err('number')} required autoFocus />
      <TextField label={t('program.areaTitle')} value={form.title} onChange={set('title')} error={err('title')} required maxLength={300} />
      <TextField label={t('programs.description')} value={form.description} onChange={set('description')} error={err('description')} maxLength={5000} />
    </FormDialog>
  );
}

function GoalDialog({ area, next, onClose, onDone }: { area: FocusNode; next: number; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const num = (v: string) => (v.trim() === '' ? null : Number(v.replace(',', '.')));
  const notNumber = (v: string) => (v.trim() !== '' && !Number.isFinite(num(v)) ? t('indicators.valueNumber') : undefined);
  const form = useForm(
    { number: String(next), text: '', indicator: '', unit: '', baseline: '', targetValue: '', targetYear: '', kpiId: '', scaleMin: '', scaleMax: '', indicatorOrganisationId: '' },
    {
      validate: (v) => ({
        number: numberError(t, v.number),
        text: v.text.trim() ? undefined : t('common.fieldRequired'),
        baseline: notNumber(v.baseline),
        targetValue: notNumber(v.targetValue),
        kpiId: v.kpiId.trim() && !/^[A-Za-z0-9_-]{1,20}$/.test(v.kpiId.trim()) ? t('indicators.kpiIdFormat') : undefined,
        scaleMin: notNumber(v.scaleMin),
        scaleMax: notNumber(v.scaleMax) ?? (num(v.scaleMin) !== null && num(v.scaleMax) !== null && num(v.scaleMax)! < num(v.scaleMin)! ? t('indicators.scaleOrder') : undefined),
      }),
      submit: (v) =>
        programApi.createGoal(area.id, {
          number: Number(v.number),
          text: v.text.trim(),
          indicator: v.indicator.trim() || null,
          unit: v.unit.trim() || null,
          baseline: num(v.baseline),
          targetValue: num(v.targetValue),
          targetYear: num(v.targetYear),
          kpiId: v.kpiId.trim() || null,
          scaleMin: num(v.scaleMin),
          scaleMax: num(v.scaleMax),
          indicatorOrganisationId: v.indicatorOrganisationId || null,
        }),
      onSuccess: onDone,
    },
  );
  const { values, set, err } = form;
  return (
    <FormDialog isOpen title={t('program.addGoalTo', { number: area.number })} onClose={onClose} onSubmit={() => void form.handleSubmit()} submitLabel={t('common.create')} pending={form.submitting} error={form.error}>
      <TextField label={t('program.number')} type="number" min={1} max={999} value={values.number} onChange={set('number')} error={err('number')} required autoFocus />
      <TextField label={t('program.goalText')} value={values.text} onChange={set('text')} error={err('text')} required maxLength={2000} />
      <TextField label={t('program.indicator')} value={values.indicator} onChange={set('indicator')} error={err('indicator')} maxLength={500} />
      <div className="grid-2">
        <TextField label={t('program.unit')} value={values.unit} onChange={set('unit')} error={err('unit')} maxLength={50} />
        <TextField label={t('program.targetYear')} type="number" min={2000} max={2100} value={values.targetYear} onChange={set('targetYear')} error={err('targetYear')} />
        <TextField label={t('program.baseline')} inputMode="decimal" value={values.baseline} onChange={set('baseline')} error={err('baseline')} />
        <TextField label={t('program.targetValue')} inputMode="decimal" value={values.targetValue} onChange={set('targetValue')} error={err('targetValue')} />
        <TextField label={t('indicators.scaleMin')} inputMode="decimal" value={values.scaleMin} onChange={set('scaleMin')} error={err('scaleMin')} />
        <TextField label={t('indicators.scaleMax')} inputMode="decimal" value={values.scaleMax} onChange={set('scaleMax')} error={err('scaleMax')} />
      </div>
      <TextField label={t('indicators.kpiId')} description={t('indicators.kpiIdHelp')} value={values.kpiId} onChange={set('kpiId')} error={err('kpiId')} maxLength={20} />
      <OrganisationSelect
        label={t('indicators.reportedBy')}
        description={t('indicators.reportedByHelp')}
        value={values.indicatorOrganisationId}
        onChange={set('indicatorOrganisationId')}
        error={err('indicatorOrganisationId')}
        emptyLabel={t('indicators.reportedByOwner')}
        filter={(o) => o.active}
      />
    </FormDialog>
  );
}

function ImportSection({ programId, onImported }: { programId: string; onImported: (message: string) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [result, setResult] = useState<ImportResultT | null>(null);
  const [confirming, setConfirming] = useState(false);
  const preview = useMutation({
    mutationFn: (f: File) => programApi.importPlan(programId, f, true),
    onSuccess: (r) => setResult(r),
    onError: () => setResult(null),
  });
  const apply = useMutation({
    mutationFn: (f: File) => programApi.importPlan(programId, f, false),
    onSuccess: (r) => {
      setConfirming(false);
      setResult(null);
      setFile(null);
      if (input.current) input.current.value = '';
      onImported(t('program.importDone', { create: r.counts.create, update: r.counts.update }));
    },
  });
  const check = () => {
    if (!file) {
      setFileError(t('program.importFileMissing'));
      input.current?.focus();
      return;
    }
    setFileError(undefined);
    preview.mutate(file);
  };
  return (
    <section className="card" aria-labelledby="import-h">
      <h2 id="import-h">{t('program.import')}</h2>
      <p className="muted">{t('program.importIntro')}</p>
      <div className="field">
        <label htmlFor="import-file">{t('program.importFile')}</label>
        <input
          id="import-file"
          ref={input}
          type="file"
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? 'import-file-err' : undefined}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setResult(null);
            preview.reset();
          }}
        />
        {fileError && (
          <p id="import-file-err" className="field-error">
            {fileError}
          </p>
        )}
      </div>
      <div className="button-row">
        <button type="button" className="btn" onClick={check} disabled={preview.isPending}>
          {t('program.importPreview')}
        </button>
        <button type="button" className="btn btn-primary" disabled={!result?.valid || apply.isPending} onClick={() => setConfirming(true)}>
          {t('program.importRun')}
        </button>
      </div>
      <ErrorMessage error={preview.error} />
      {result && (
        <div className="import-result">
          <div role="status" className={result.valid ? 'alert alert-ok' : 'alert alert-error'}>
            <p>
              {result.valid
                ? t('program.importValid', { create: result.counts.create, update: result.counts.update, unchanged: result.counts.unchanged })
                : t('program.importInvalid', { invalid: result.counts.invalid + result.fileErrors.length })}
            </p>
            {result.fileErrors.map((e) => (
              <p key={e}>{e}</p>
            ))}
          </div>
          {result.rows.length > 0 && (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('program.importRows')}>
              <table className="table">
                <caption className="visually-hidden">{t('program.importRows')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('program.row')}</th>
                    <th scope="col">{t('action.name')}</th>
                    <th scope="col">{t('program.operation')}</th>
                    <th scope="col">{t('program.errors')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rows.map((row) => (
                    <tr key={row.row} className={row.errors.length ? 'row-error' : undefined}>
                      <td>{row.row}</td>
                      <th scope="row">{row.title || '–'}</th>
                      <td>{t(`program.op_${row.operation}`)}</td>
                      <td>
                        {row.errors.length === 0 ? (
                          <span className="muted">{t('program.noErrors')}</span>
                        ) : (
                          <ul className="plain-list">
                            {row.errors.map((e, i) => (
                              <li key={i} className="error-text">
                                <span className="strong">{e.column}:</span> {e.message}
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
          )}
        </div>
      )}
      {confirming && result && file && (
        <ConfirmDialog
          isOpen
          title={t('program.importConfirmTitle')}
          text={t('program.importConfirmText', { create: result.counts.create, update: result.counts.update })}
          confirmLabel={t('program.importRun')}
          tone="primary"
          onClose={() => setConfirming(false)}
          onConfirm={() => apply.mutate(file)}
          pending={apply.isPending}
          error={apply.error}
        />
      )}
    </section>
  );
}

/** Focus areas and goals are numbered 1–999: an empty field is "required", anything else out of range says so. */
function numberError(t: (key: string) => string, value: string) {
  if (value.trim() === '') return t('common.fieldRequired');
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 999 ? undefined : t('common.numberRange');
}
