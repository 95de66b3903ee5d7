import { useMemo, useState } from 'react';
import { useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { decisionsApi, type AssignmentT, type ClauseBody, type ClauseEffect, type DecisionInput, type DecisionKind, type DecisionT, type DispatchResultT } from '../api.ts';
import { governingDocumentsApi, type GovDocT } from '../../documents/api.ts';
import type { OrganisationT } from '../../organisations/api.ts';
import { planActions } from '../../program/api.ts';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { MISSING_TERM } from '../../../../shared/i18n/decisions.ts';
import { Badge } from '../../../components/Progress.tsx';
import { useOrgs } from '../../../orgs.ts';
import { CaseTabs } from '../components/CaseTabs.tsx';
import { AppealClock } from '../components/AppealClock.tsx';

const KINDS: DecisionKind[] = ['decision', 'referral_back', 'remiss', 'delegation'];
const EFFECTS: ClauseEffect[] = ['none', 'assignment', 'repeal', 'replace', 'adopt'];
const DECIDING = ['council', 'board', 'committee'];

/** "KS 2019-12-04 § 333" (or the body's name and "utkast" while there is no date or §). */
function reference(d: DecisionT) {
  return [d.bodyShortName ?? d.bodyName, d.decidedOn, d.paragraph !== null ? `§ ${d.paragraph}` : null].filter(Boolean).join(' ');
}

/** The decisions of a case (/arenden/:id/beslut): draft, att-satser, decide, assignments, dispatch. */
export function DecisionsPage() {
  const { id } = useParams({ from: '/app/arenden/$id/beslut' });
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['decisions', id], queryFn: () => decisionsApi.list(id) });
  const assignments = useQuery({ queryKey: ['assignments', { caseId: id }], queryFn: () => decisionsApi.assignments({ caseId: id }) });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['decisions', id] });
    void qc.invalidateQueries({ queryKey: ['assignments'] });
  };
  if (list.isPending || list.error) return <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />;
  const { case: c, items, allowedActions } = list.data;
  const mayHandle = allowedActions.includes('cases.handle');
  const byAssignment = new Map((assignments.data?.items ?? []).map((a) => [a.id, a]));
  return (
    <>
      <PageTitle title={`${t('decisions.title')} – ${c.registryNumber}`}>
        {t('decisions.title')} <span className="muted">{c.registryNumber}</span>
      </PageTitle>
      <p className="lead">
        {c.title} · {t('decisions.caseStatus')}: {t(`decisions.caseStatuses.${c.status}`)}
      </p>
      <CaseTabs caseId={c.id} registryNumber={c.registryNumber} />
      {!c.childAssessmentDone && (
        <div className="alert alert-warn">
          <p>{t('decisions.childAssessmentMissing')}</p>
        </div>
      )}
      <Notice message={notice} />
      {mayHandle && (
        <div className="toolbar">
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t('decisions.new')}
          </button>
        </div>
      )}
      {items.length === 0 ? (
        <Empty>{t('decisions.empty')}</Empty>
      ) : (
        items.map((d) => (
          <DecisionCard
            key={d.id}
            decision={d}
            assignments={byAssignment}
            onChanged={(msg) => {
              if (msg) setNotice(msg);
              refresh();
            }}
          />
        ))
      )}
      {creating && (
        <DecisionDialog
          caseId={id}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            setNotice(t('decisions.created'));
            refresh();
          }}
        />
      )}
    </>
  );
}

/** The governing documents the user can see (drafts of their own organisations, all others), sorted by title. */
function useGoverningDocuments() {
  const list = useQuery({ queryKey: ['documents', 'all'], queryFn: () => governingDocumentsApi.list({ limit: 500 }) });
  return useMemo(() => {
    const items = [...(list.data?.items ?? [])].sort((a, b) => a.title.localeCompare(b.title, 'sv'));
    return { items, byId: new Map(items.map((d) => [d.id, d])), isPending: list.isPending, error: list.error };
  }, [list.data, list.isPending, list.error]);
}

/** "Strategi för våld i nära relationer 2017-2022 (gällande)". */
function useDocumentLabel() {
  const { t } = useTranslation();
  return (d: GovDocT) => `${d.title} (${t(`documentState.${d.state}`).toLocaleLowerCase()})`;
}

/** The document's title, linking to it in the register (or a plain note when the user cannot see it). */
function DocumentRef({ id, documents }: { id: string; documents: Map<string, GovDocT> }) {
  const { t } = useTranslation();
  const d = documents.get(id);
  return (
    <Link to="/styrdokument" search={{ dokument: id }}>
      {d ? d.title : t('decisions.documentSet')}
    </Link>
  );
}

function useDecidingBodies() {
  const orgs = useOrgs();
  return useMemo(() => orgs.ordered.filter(({ org }) => org.active && DECIDING.includes(org.type)).map(({ org }) => org), [orgs.ordered]);
}

function DecisionCard({ decision: d, assignments, onChanged }: { decision: DecisionT; assignments: Map<string, AssignmentT>; onChanged: (msg?: string) => void }) {
  const { t } = useTranslation();
  const mayHandle = d.allowedActions.includes('cases.handle');
  const draft = d.status === 'draft';
  const [editing, setEditing] = useState(false);
  const [clauseEdit, setClauseEdit] = useState<{ clauseId: string | null } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [deciding, setDeciding] = useState(false);
  const [forwarding, setForwarding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const documents = useGoverningDocuments();
  const headingId = `decision-${d.id}`;
  const move = useMutation({
    mutationFn: ({ index, delta }: { index: number; delta: number }) => {
      const ids = d.clauses.map((k) => k.id);
      const [moved] = ids.splice(index, 1);
      ids.splice(index + delta, 0, moved);
      return decisionsApi.reorder(d.id, d.version, ids);
    },
    onSuccess: (_r, v) => {
      setError(null);
      onChanged(t('decisions.clauseMoved', { n: v.index + v.delta + 1 }));
      // Keep the keyboard where the att-sats went.
      setTimeout(() => document.getElementById(`clause-${d.clauses[v.index].id}`)?.focus(), 50);
    },
    onError: setError,
  });
  const remove = useMutation({
    mutationFn: (clauseId: string) => decisionsApi.removeClause(d.id, clauseId, d.version),
    onSuccess: () => {
      setRemoving(null);
      onChanged(t('decisions.clauseRemoved'));
    },
  });
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {d.decidedOn ? reference(d) : `${d.bodyName}`} – {d.title}
      </h2>
      <p>
        <Badge>{t(`decisions.kinds.${d.kind}`)}</Badge> <Badge>{t(`decisions.statuses.${d.status}`)}</Badge>
      </p>
      <dl className="dl">
        <dt>{t('decisions.body')}</dt>
        <dd>{d.bodyName}</dd>
        <dt>{t('decisions.date')}</dt>
        <dd>{d.decidedOn ?? '–'}</dd>
        <dt>{t('decisions.paragraph')}</dt>
        <dd>{d.paragraph !== null ? `§ ${d.paragraph}` : '–'}</dd>
        {d.meetingId && (
          <>
            <dt>{t('meetings.meetingLink')}</dt>
            <dd>
              <Link to="/sammantraden/$id" params={{ id: d.meetingId }}>
                {d.bodyShortName ?? d.bodyName} {d.decidedOn}
              </Link>
              {d.adjustedOn && <> · {t('meetings.adjustedOn', { date: d.adjustedOn })}</>}
            </dd>
          </>
        )}
        {d.notice && (
          <>
            <dt>{t('meetings.appealClock')}</dt>
            <dd>
              <AppealClock notice={d.notice} />
            </dd>
          </>
        )}
        {d.preparedByReference && (
          <>
            <dt>{t('decisions.preparedBy')}</dt>
            <dd>{d.preparedByReference}</dd>
          </>
        )}
        {d.forwardedTo.length > 0 && (
          <>
            <dt>{t('decisions.forwardedTo')}</dt>
            <dd>{d.forwardedTo.map((f) => `${f.status === 'decided' ? f.reference : f.bodyName} (${t(`decisions.statuses.${f.status}`).toLocaleLowerCase()})`).join(', ')}</dd>
          </>
        )}
        {d.exampleNote && (
          <>
            <dt>{t('decisions.exampleNote')}</dt>
            <dd>{d.exampleNote}</dd>
          </>
        )}
        {d.reason && (
          <>
            <dt>{d.kind === 'referral_back' ? t('decisions.referralReason') : t('decisions.reason')}</dt>
            <dd className="pre-line">{d.reason}</dd>
          </>
        )}
      </dl>
      <h3>{t('decisions.clauses')}</h3>
      {d.clauses.length === 0 ? (
        <Empty>{t('decisions.clausesEmpty')}</Empty>
      ) : (
        <ol className="plain-list clause-list">
          {d.clauses.map((k, i) => {
            const a = k.assignmentId ? assignments.get(k.assignmentId) : undefined;
            return (
              <li key={k.id} id={`clause-${k.id}`} tabIndex={-1} className="block">
                <p>
                  <span className="strong">{i + 1}.</span> <span>{k.text}</span>
                </p>
                <p className="small muted">
                  {k.toBodyName && k.proposal && <>{t('decisions.toBodyShort', { body: k.toBodyName })} ({t('decisions.proposalHelp', { body: k.toBodyName })}) · </>}
                  {k.condition && <>{t('decisions.conditionShort', { condition: k.condition })} · </>}
                  {t(`decisions.effects.${k.effect}`)}
                  {k.effect === 'assignment' && (
                    <>
                      {' '}
                      · {k.assigneeName ?? t('decisions.noAssignee')} · {k.dueDate ? t('decisions.dueShort', { date: k.dueDate }) : t('decisions.dueMissing')}
                    </>
                  )}
                  {k.effect === 'adopt_lagesbild' && k.lagesbildReportId && (
                    <>
                      {' '}
                      ·{' '}
                      <Link to="/lagesbild/rapporter/$id" params={{ id: k.lagesbildReportId }}>
                        {t('decisions.openLagesbildReport')}
                      </Link>
                    </>
                  )}
                  {(k.effect === 'repeal' || k.effect === 'replace' || k.effect === 'adopt') && (
                    <>
                      {' '}
                      · {k.documentId ? <DocumentRef id={k.documentId} documents={documents.byId} /> : t('decisions.documentMissing')}
                      {k.effect === 'replace' && k.replacementDocumentId && (
                        <>
                          {' '}
                          · {t('decisions.replacedBy')}: <DocumentRef id={k.replacementDocumentId} documents={documents.byId} />
                        </>
                      )}
                    </>
                  )}
                </p>
                {a && <AssignmentBox assignment={a} onChanged={onChanged} />}
                {mayHandle && draft && (
                  <div className="button-row">
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={i === 0 || move.isPending}
                      onClick={() => move.mutate({ index: i, delta: -1 })}
                      aria-label={t('decisions.moveUpLabel', { n: i + 1 })}
                    >
                      {t('decisions.moveUp')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={i === d.clauses.length - 1 || move.isPending}
                      onClick={() => move.mutate({ index: i, delta: 1 })}
                      aria-label={t('decisions.moveDownLabel', { n: i + 1 })}
                    >
                      {t('decisions.moveDown')}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => setClauseEdit({ clauseId: k.id })} aria-label={t('decisions.editClauseLabel', { n: i + 1 })}>
                      {t('common.edit')}
                    </button>
                    <button type="button" className="btn btn-small btn-danger" onClick={() => setRemoving(k.id)} aria-label={t('decisions.removeClauseLabel', { n: i + 1 })}>
                      {t('decisions.remove')}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <ErrorMessage error={error} onReload={() => onChanged()} />
      {mayHandle && draft && d.missing.length > 0 && <MissingList decision={d} onFix={(clauseId) => setClauseEdit({ clauseId })} />}
      {mayHandle && draft && (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setClauseEdit({ clauseId: null })}>
            {t('decisions.addClause')}
          </button>
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            {t('decisions.edit')}
          </button>
          {d.missing.length === 0 && (
            <button type="button" className="btn btn-primary" onClick={() => setDeciding(true)}>
              {t('decisions.markDecided')}
            </button>
          )}
        </div>
      )}
      {mayHandle && !draft && d.clauses.some((k) => k.proposal) && (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setForwarding(true)}>
            {t('decisions.forward')}
          </button>
        </div>
      )}
      {forwarding && (
        <ForwardDialog
          decision={d}
          onClose={() => setForwarding(false)}
          onDone={(body) => {
            setForwarding(false);
            onChanged(t('decisions.forwarded', { body }));
          }}
        />
      )}
      {!draft && (
        <p>
          <a href={decisionsApi.extractUrl(d.id)} target="_blank" rel="noreferrer">
            {t('decisions.extract')}
          </a>
        </p>
      )}
      <DispatchSection decision={d} onChanged={onChanged} />
      {editing && (
        <DecisionDialog
          caseId={d.caseId}
          decision={d}
          onClose={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            onChanged(t('decisions.saved'));
          }}
        />
      )}
      {clauseEdit && (
        <ClauseDialog
          decision={d}
          clauseId={clauseEdit.clauseId}
          onClose={() => setClauseEdit(null)}
          onDone={(msg) => {
            setClauseEdit(null);
            onChanged(msg);
          }}
        />
      )}
      <ConfirmDialog
        isOpen={!!removing}
        title={t('decisions.removeTitle')}
        text={t('decisions.removeText', { text: d.clauses.find((k) => k.id === removing)?.text ?? '' })}
        confirmLabel={t('decisions.remove')}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => removing && remove.mutate(removing)}
        pending={remove.isPending}
        error={remove.error}
        onReload={() => onChanged()}
      />
      {deciding && (
        <DecideDialog
          decision={d}
          onClose={() => setDeciding(false)}
          onDone={() => {
            setDeciding(false);
            onChanged(t('decisions.decided'));
          }}
        />
      )}
    </section>
  );
}

/**
 * What the draft lacks before it can be marked decided (the server's `missing`, the same checks as the
 * decide call), shown once, on the card, before any dialog: each with the way to fill it in. The
 * "Markera som fattat" button appears when nothing is missing.
 */
function MissingList({ decision: d, onFix }: { decision: DecisionT; onFix: (clauseId: string) => void }) {
  const { t } = useTranslation();
  const headingId = `missing-${d.id}`;
  return (
    <div className="alert alert-warn" role="region" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('decisions.missingTitle')}</h3>
      <ul>
        {d.missing.map((m) => {
          const term = t(`decisions.missingTerm.${MISSING_TERM[m.code]}`);
          const clause = /^clauses\.(\d+)\./.exec(m.path);
          if (clause) {
            const n = Number(clause[1]) + 1;
            const k = d.clauses[n - 1];
            return (
              <li key={m.path}>
                {t('decisions.missingClause', { n, term })}{' '}
                {k && (
                  <button type="button" className="btn btn-small" onClick={() => onFix(k.id)} aria-label={t('decisions.missingFixLabel', { n, term: term.toLocaleLowerCase() })}>
                    {t('decisions.missingFix')}
                  </button>
                )}
              </li>
            );
          }
          if (m.code === 'CHILD_ASSESSMENT_MISSING')
            return (
              <li key={m.path}>
                {term}:{' '}
                <Link to="/arenden/$id" params={{ id: d.caseId }}>
                  {t('decisions.missingChildLink')}
                </Link>
              </li>
            );
          // No att-satser yet: "Lägg till att-sats" is right below the list.
          return <li key={m.path}>{term}</li>;
        })}
      </ul>
    </div>
  );
}

function fieldError(error: unknown, name: string) {
  return error instanceof ApiError ? error.field(name) : undefined;
}

function DecisionDialog({ caseId, decision, onClose, onDone }: { caseId: string; decision?: DecisionT; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const bodies = useDecidingBodies();
  const [form, setForm] = useState({
    bodyOrganisationId: decision?.bodyOrganisationId ?? '',
    kind: (decision?.kind ?? 'decision') as DecisionKind,
    title: decision?.title ?? '',
    reason: decision?.reason ?? '',
    decidedOn: decision?.decidedOn ?? '',
    paragraph: decision?.paragraph !== null && decision?.paragraph !== undefined ? String(decision.paragraph) : '',
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const save = useMutation({
    mutationFn: () => {
      const body: DecisionInput = {
        bodyOrganisationId: form.bodyOrganisationId,
        kind: form.kind,
        title: form.title,
        reason: form.reason || null,
        decidedOn: form.decidedOn || null,
        paragraph: form.paragraph ? Number(form.paragraph) : null,
      };
      return decision ? decisionsApi.update(decision.id, { ...body, version: decision.version }) : decisionsApi.create(caseId, body);
    },
    onSuccess: onDone,
  });
  const err = save.error;
  return (
    <FormDialog title={decision ? t('decisions.edit') : t('decisions.new')} isOpen onClose={onClose} onSubmit={() => save.mutate()} pending={save.isPending} error={err}>
      <SelectField label={t('decisions.body')} required value={form.bodyOrganisationId} onChange={set('bodyOrganisationId')} error={fieldError(err, 'bodyOrganisationId')}>
        <option value="">{t('decisions.chooseBody')}</option>
        {bodies.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
      <EnumSelect label={t('decisions.kind')} value={form.kind} onChange={set('kind')} values={KINDS} labelPrefix="decisions.kinds" />
      <TextField label={t('decisions.titleField')} required value={form.title} onChange={set('title')} error={fieldError(err, 'title')} />
      <TextAreaField
        label={form.kind === 'referral_back' ? t('decisions.referralReason') : t('decisions.reason')}
        value={form.reason}
        onChange={set('reason')}
        error={fieldError(err, 'reason')}
        description={form.kind === 'referral_back' ? t('decisions.referralReasonHelp') : undefined}
      />
      <TextField label={t('decisions.date')} type="date" value={form.decidedOn} onChange={set('decidedOn')} error={fieldError(err, 'decidedOn')} />
      <TextField label={t('decisions.paragraph')} type="number" min={1} inputMode="numeric" value={form.paragraph} onChange={set('paragraph')} error={fieldError(err, 'paragraph')} />
    </FormDialog>
  );
}

function ClauseDialog({ decision, clauseId, onClose, onDone }: { decision: DecisionT; clauseId: string | null; onClose: () => void; onDone: (msg: string) => void }) {
  const { t } = useTranslation();
  const bodies = useDecidingBodies();
  const documents = useGoverningDocuments();
  const docLabel = useDocumentLabel();
  const k = decision.clauses.find((x) => x.id === clauseId);
  const [form, setForm] = useState({
    text: k?.text ?? 'att ',
    toBodyOrganisationId: k?.toBodyOrganisationId ?? '',
    effect: (k?.effect ?? 'none') as ClauseEffect,
    assigneeOrganisationId: k?.assigneeOrganisationId ?? '',
    dueDate: k?.dueDate ?? '',
    documentId: k?.documentId ?? '',
    replacementDocumentId: k?.replacementDocumentId ?? '',
    condition: k?.condition ?? '',
  });
  const set = (f: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [f]: e.target.value });
  const save = useMutation({
    mutationFn: () => {
      const body: ClauseBody = {
        text: form.text,
        toBodyOrganisationId: form.toBodyOrganisationId || null,
        effect: form.effect,
        assigneeOrganisationId: form.effect === 'assignment' ? form.assigneeOrganisationId || null : null,
        dueDate: form.effect === 'assignment' ? form.dueDate || null : null,
        documentId: ['repeal', 'replace', 'adopt'].includes(form.effect) ? form.documentId || null : null,
        replacementDocumentId: form.effect === 'replace' ? form.replacementDocumentId || null : null,
        condition: form.condition.trim() || null,
      };
      return clauseId ? decisionsApi.updateClause(decision.id, clauseId, { ...body, version: decision.version }) : decisionsApi.addClause(decision.id, { ...body, version: decision.version });
    },
    onSuccess: () => onDone(clauseId ? t('decisions.clauseSaved') : t('decisions.clauseAdded')),
  });
  const err = save.error;
  // Repeal and replace act on a document in force, adopt on a draft; the new document of a replace may be
  // either. The document already chosen stays in the list so that it is never silently dropped.
  const docOptions = (statuses: string[], selected: string) => documents.items.filter((d) => statuses.includes(d.status) || d.id === selected);
  const targets = docOptions(form.effect === 'adopt' ? ['draft'] : ['in_force'], form.documentId);
  const replacements = docOptions(['draft', 'in_force'], form.replacementDocumentId).filter((d) => d.id !== form.documentId);
  const documentSelect = (name: 'documentId' | 'replacementDocumentId', label: string, help: string, options: GovDocT[]) => (
    <SelectField
      label={label}
      required
      value={form[name]}
      onChange={set(name)}
      error={fieldError(err, name)}
      description={!documents.isPending && !documents.error && options.length === 0 ? `${help} ${t('decisions.noDocuments')}` : help}
    >
      <option value="">{t('decisions.chooseDocument')}</option>
      {options.map((d) => (
        <option key={d.id} value={d.id}>
          {docLabel(d)}
        </option>
      ))}
    </SelectField>
  );
  return (
    <FormDialog title={clauseId ? t('decisions.editClause') : t('decisions.addClause')} isOpen onClose={onClose} onSubmit={() => save.mutate()} pending={save.isPending} error={err} onReload={onClose}>
      <TextAreaField label={t('decisions.clauseText')} required value={form.text} onChange={set('text')} error={fieldError(err, 'text')} description={t('decisions.clauseTextHelp')} />
      <SelectField label={t('decisions.toBody')} value={form.toBodyOrganisationId} onChange={set('toBodyOrganisationId')} description={t('decisions.toBodyHelp')} error={fieldError(err, 'toBodyOrganisationId')}>
        <option value="">{t('decisions.noToBody')}</option>
        {bodies.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
      {/* A lägesbild's att-sats is made from the lägesbild page (it names the report); it can be kept or changed here, not chosen. */}
      <EnumSelect label={t('decisions.effect')} value={form.effect} onChange={set('effect')} values={form.effect === 'adopt_lagesbild' ? [...EFFECTS, 'adopt_lagesbild'] : EFFECTS} labelPrefix="decisions.effects" />
      {form.effect === 'assignment' && (
        <>
          <OrganisationSelect label={t('decisions.assignee')} required value={form.assigneeOrganisationId} onChange={set('assigneeOrganisationId')} error={fieldError(err, 'assigneeOrganisationId')} filter={(org) => org.active} emptyLabel={t('decisions.chooseOrganisation')} />
          <TextField label={t('decisions.dueDate')} type="date" required value={form.dueDate} onChange={set('dueDate')} error={fieldError(err, 'dueDate')} />
        </>
      )}
      {(form.effect === 'repeal' || form.effect === 'replace' || form.effect === 'adopt') && (
        <>
          <ErrorMessage error={documents.error} />
          {documentSelect('documentId', t('decisions.document'), t(`decisions.documentHelp.${form.effect}`), targets)}
        </>
      )}
      <TextField label={t('decisions.condition')} value={form.condition} onChange={set('condition')} description={t('decisions.conditionHelp')} error={fieldError(err, 'condition')} />
      {form.effect === 'replace' && documentSelect('replacementDocumentId', t('decisions.replacedBy'), t('decisions.replacedByHelp'), replacements)}
    </FormDialog>
  );
}

/** Forwards a decided decision's proposals to the body that decides them (a draft of that body's decision). */
function ForwardDialog({ decision: d, onClose, onDone }: { decision: DecisionT; onClose: () => void; onDone: (bodyName: string) => void }) {
  const { t } = useTranslation();
  const bodies = useDecidingBodies().filter((o) => o.id !== d.bodyOrganisationId);
  const proposals = d.clauses.filter((k) => k.proposal);
  const [bodyId, setBodyId] = useState(proposals[0]?.toBodyOrganisationId ?? '');
  const send = useMutation({ mutationFn: () => decisionsApi.forward(d.id, bodyId), onSuccess: (r) => onDone(r.bodyName) });
  return (
    <FormDialog title={t('decisions.forwardTitle')} isOpen onClose={onClose} onSubmit={() => send.mutate()} submitLabel={t('decisions.forward')} pending={send.isPending} error={send.error} onReload={onClose}>
      <p>{t('decisions.forwardText', { count: proposals.length })}</p>
      <SelectField label={t('decisions.forwardBody')} required value={bodyId} onChange={(e) => setBodyId(e.target.value)} error={fieldError(send.error, 'bodyOrganisationId')}>
        <option value="">{t('decisions.chooseBody')}</option>
        {bodies.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
    </FormDialog>
  );
}

function DecideDialog({ decision, onClose, onDone }: { decision: DecisionT; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [decidedOn, setDecidedOn] = useState(decision.decidedOn ?? '');
  const [paragraph, setParagraph] = useState(decision.paragraph !== null ? String(decision.paragraph) : '');
  const decide = useMutation({
    mutationFn: () => decisionsApi.decide(decision.id, { version: decision.version, ...(decidedOn ? { decidedOn } : {}), ...(paragraph ? { paragraph: Number(paragraph) } : {}) }),
    onSuccess: onDone,
  });
  const err = decide.error;
  return (
    <FormDialog title={t('decisions.markDecided')} isOpen onClose={onClose} onSubmit={() => decide.mutate()} submitLabel={t('decisions.confirmDecided')} pending={decide.isPending} error={err} onReload={onClose}>
      <p>{t('decisions.decideText')}</p>
      <TextField label={t('decisions.date')} type="date" required value={decidedOn} onChange={(e) => setDecidedOn(e.target.value)} error={fieldError(err, 'decidedOn')} />
      <TextField label={t('decisions.paragraph')} type="number" min={1} inputMode="numeric" required value={paragraph} onChange={(e) => setParagraph(e.target.value)} error={fieldError(err, 'paragraph')} />
    </FormDialog>
  );
}

function AssignmentBox({ assignment: a, onChanged }: { assignment: AssignmentT; onChanged: (msg?: string) => void }) {
  const { t } = useTranslation();
  const [linking, setLinking] = useState(false);
  const mayHandle = a.allowedActions.includes('cases.handle');
  const unlink = useMutation({ mutationFn: (actionId: string) => decisionsApi.unlinkAction(a.id, actionId), onSuccess: () => onChanged(t('decisions.actionUnlinked')) });
  const toggle = useMutation({
    mutationFn: () => decisionsApi.updateAssignment(a.id, { version: a.version, status: a.status === 'open' ? 'done' : 'open' }),
    onSuccess: () => onChanged(t('decisions.assignmentSaved')),
  });
  return (
    <div className="block assignment">
      <p>
        <span className="strong">{t('decisions.assignment')}:</span> {a.organisationName} · {t('decisions.dueShort', { date: a.dueDate ?? '–' })} ·{' '}
        {t(`decisions.assignmentStatuses.${a.status}`)}
        {a.overdue && (
          <>
            {' '}
            <Badge>{t('decisions.overdue')}</Badge>
          </>
        )}
      </p>
      {a.actions.length > 0 && (
        <ul className="plain-list">
          {a.actions.map((x) => (
            <li key={x.id}>
              <Link to="/atgarder/$id" params={{ id: x.id }}>
                {x.title}
              </Link>{' '}
              <span className="small muted">
                ({t(`actionStatus.${x.status}`, { defaultValue: x.status })}, {x.progress} %)
              </span>
              {mayHandle && (
                <button type="button" className="btn btn-small btn-ghost" onClick={() => unlink.mutate(x.id)} aria-label={t('decisions.unlinkLabel', { title: x.title })}>
                  {t('decisions.unlink')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={unlink.error ?? toggle.error} onReload={() => onChanged()} />
      {mayHandle && (
        <div className="button-row">
          <button type="button" className="btn btn-small" onClick={() => setLinking(true)}>
            {t('decisions.linkAction')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
            {a.status === 'open' ? t('decisions.markDone') : t('decisions.reopen')}
          </button>
        </div>
      )}
      {linking && (
        <LinkActionDialog
          assignment={a}
          onClose={() => setLinking(false)}
          onDone={() => {
            setLinking(false);
            onChanged(t('decisions.actionLinked'));
          }}
        />
      )}
    </div>
  );
}

function LinkActionDialog({ assignment, onClose, onDone }: { assignment: AssignmentT; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const actions = useQuery({ queryKey: ['actions', 'all'], queryFn: () => planActions.list({ limit: 500 }) });
  const [actionId, setActionId] = useState('');
  const link = useMutation({ mutationFn: () => decisionsApi.linkAction(assignment.id, actionId), onSuccess: onDone });
  const linked = new Set(assignment.actions.map((a) => a.id));
  return (
    <FormDialog title={t('decisions.linkAction')} isOpen onClose={onClose} onSubmit={() => link.mutate()} pending={link.isPending} error={link.error}>
      <QueryState isPending={actions.isPending} error={actions.error} />
      {actions.data && (
        <SelectField label={t('decisions.action')} required value={actionId} onChange={(e) => setActionId(e.target.value)} error={fieldError(link.error, 'actionId')}>
          <option value="">{t('decisions.chooseAction')}</option>
          {actions.data.items
            .filter((a) => !linked.has(a.id))
            .map((a) => (
              <option key={a.id} value={a.id}>
                {a.title} ({a.responsibleOrganisationName})
              </option>
            ))}
        </SelectField>
      )}
    </FormDialog>
  );
}

function DispatchSection({ decision: d, onChanged }: { decision: DecisionT; onChanged: (msg?: string) => void }) {
  const { t } = useTranslation();
  const mayHandle = d.allowedActions.includes('cases.handle');
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<DispatchResultT | null>(null);
  const pending = d.dispatch.filter((e) => e.status === 'pending');
  const send = useMutation({
    mutationFn: () => decisionsApi.dispatch(d.id, d.version),
    onSuccess: (r) => {
      setConfirming(false);
      setResult(r);
      onChanged(t('decisions.dispatched', { count: r.sent.length }));
    },
  });
  const headingId = `dispatch-${d.id}`;
  return (
    <section aria-labelledby={headingId} className="section">
      <h3 id={headingId}>{t('decisions.dispatchList')}</h3>
      {d.dispatch.length === 0 ? (
        <Empty>{t('decisions.dispatchEmpty')}</Empty>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={headingId}>
          <table className="table">
            <caption className="visually-hidden">{t('decisions.dispatchList')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('decisions.recipient')}</th>
                <th scope="col">{t('decisions.email')}</th>
                <th scope="col">{t('decisions.dispatchStatus')}</th>
                <th scope="col">{t('decisions.record')}</th>
              </tr>
            </thead>
            <tbody>
              {d.dispatch.map((e) => (
                <tr key={e.id}>
                  <td>{e.kind === 'file' ? t('decisions.theFile') : e.organisationName}</td>
                  <td>{e.kind === 'file' ? '–' : (e.email ?? e.organisationEmail ?? t('decisions.noEmail'))}</td>
                  <td>{t(`decisions.dispatchStatuses.${e.status}`)}</td>
                  <td>{e.recordNumber ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {send.isPending && (
        <p role="status" className="loading">
          {t('decisions.dispatching')}
        </p>
      )}
      {result && (
        <div role="status" className="alert alert-ok">
          <p>{t('decisions.dispatchResult', { sent: result.sent.length, records: result.sent.length + result.manual.length + (result.filed ? 1 : 0) })}</p>
          {result.sent.length > 0 && (
            <ul>
              {result.sent.map((s) => (
                <li key={s.organisationId}>
                  {s.name} ({s.email}) – {s.recordNumber}
                </li>
              ))}
              {result.filed && <li>{t('decisions.theFile')} – {result.filed.recordNumber}</li>}
            </ul>
          )}
        </div>
      )}
      {result?.message && (
        <div role="alert" className="alert alert-warn">
          <p>{result.message}</p>
        </div>
      )}
      {mayHandle && d.status === 'decided' && pending.length > 0 && !d.adjustedOn && d.kind !== 'delegation' && <p className="small muted">{t('meetings.notAdjustedDispatch')}</p>}
      {mayHandle && (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            {t('decisions.editDispatch')}
          </button>
          {d.status === 'decided' && pending.length > 0 && (d.adjustedOn || d.kind === 'delegation') && (
            <button type="button" className="btn btn-primary" onClick={() => setConfirming(true)}>
              {t('decisions.dispatch')}
            </button>
          )}
        </div>
      )}
      {editing && (
        <DispatchListDialog
          decision={d}
          onClose={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            onChanged(t('decisions.dispatchSaved'));
          }}
        />
      )}
      <ConfirmDialog
        isOpen={confirming}
        title={t('decisions.dispatch')}
        text={t('decisions.dispatchConfirm', { count: pending.length, names: pending.map((e) => (e.kind === 'file' ? t('decisions.theFile') : e.organisationName)).join(', ') })}
        confirmLabel={t('decisions.dispatch')}
        onClose={() => {
          setConfirming(false);
          send.reset();
        }}
        onConfirm={() => send.mutate()}
        pending={send.isPending}
        error={send.error}
        onReload={() => onChanged()}
      />
    </section>
  );
}

function DispatchListDialog({ decision: d, onClose, onDone }: { decision: DecisionT; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const orgs = useOrgs();
  const done = new Set(d.dispatch.filter((e) => e.status !== 'pending' && e.organisationId).map((e) => e.organisationId!));
  const [selected, setSelected] = useState<string[]>(d.dispatch.flatMap((e) => (e.organisationId ? [e.organisationId] : [])));
  const [file, setFile] = useState(d.dispatch.some((e) => e.kind === 'file'));
  const fileDone = d.dispatch.some((e) => e.kind === 'file' && e.status !== 'pending');
  const candidates: OrganisationT[] = orgs.ordered.filter(({ org }) => org.active && org.type !== 'municipality').map(({ org }) => org);
  const allBoards = () =>
    setSelected([...new Set([...selected, ...candidates.filter((o) => (o.type === 'committee' || o.type === 'board') && o.id !== d.bodyOrganisationId && o.parentId !== d.bodyOrganisationId).map((o) => o.id)])]);
  const save = useMutation({ mutationFn: () => decisionsApi.setDispatchList(d.id, { version: d.version, organisationIds: selected, file }), onSuccess: onDone });
  return (
    <FormDialog title={t('decisions.editDispatch')} isOpen onClose={onClose} onSubmit={() => save.mutate()} pending={save.isPending} error={save.error} onReload={onClose}>
      <button type="button" className="btn" onClick={allBoards}>
        {t('decisions.addAllBoards')}
      </button>
      <CheckboxField label={t('decisions.theFile')} checked={file} disabled={fileDone} onChange={(e) => setFile(e.target.checked)} />
      <fieldset className="fieldset">
        <legend>{t('decisions.recipients')}</legend>
        <div className="check-list scroll">
          {candidates.map((o) => (
            <CheckboxField
              key={o.id}
              label={o.email ? o.name : `${o.name} (${t('decisions.noEmail')})`}
              checked={selected.includes(o.id)}
              disabled={done.has(o.id)}
              onChange={(e) => setSelected(e.target.checked ? [...selected, o.id] : selected.filter((x) => x !== o.id))}
            />
          ))}
        </div>
      </fieldset>
    </FormDialog>
  );
}
