import { useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { Link } from '../../../components/Link.tsx';
import { FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { useOrgs } from '../../../orgs.ts';
import { casesApi } from '../../cases/api.ts';
import { lagesbildApi, type LagesbildReportDetailT } from '../api.ts';

/**
 * The lägesbild report as casework (Lag 2023:196, issue #11 item 7): put to a body through a case, the case and
 * decision it stands in, its findings with the actions that follow from them, and the imported crime statistics.
 */

const DECIDING = ['council', 'board', 'committee'];

/** Put the report forward: choose the case (open, one may handle) and the deciding body. */
export function SubmitDialog({ report, onClose, onDone }: { report: LagesbildReportDetailT; onClose: () => void; onDone: (next: LagesbildReportDetailT) => void }) {
  const { t } = useTranslation();
  const orgs = useOrgs();
  const bodies = useMemo(() => orgs.ordered.filter(({ org }) => org.active && DECIDING.includes(org.type)).map(({ org }) => org), [orgs.ordered]);
  const cases = useQuery({ queryKey: ['cases', { status: 'open', limit: 200 }], queryFn: () => casesApi.list({ status: 'open', limit: 200 }) });
  const [form, setForm] = useState({ caseId: '', bodyOrganisationId: '' });
  const [missing, setMissing] = useState<{ caseId?: string; bodyOrganisationId?: string }>({});
  const submit = useMutation({ mutationFn: () => lagesbildApi.submit(report.id, { version: report.version, ...form }), onSuccess: onDone });
  const err = submit.error instanceof ApiError ? submit.error : undefined;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <FormDialog
      title={t('lagesbild.submitTitle')}
      isOpen
      onClose={onClose}
      submitLabel={t('lagesbild.submit')}
      pending={submit.isPending}
      error={submit.error}
      onSubmit={() => {
        const m = { caseId: form.caseId ? undefined : t('common.fieldRequired'), bodyOrganisationId: form.bodyOrganisationId ? undefined : t('common.fieldRequired') };
        setMissing(m);
        if (!m.caseId && !m.bodyOrganisationId) submit.mutate();
      }}
    >
      <p>{t('lagesbild.submitText')}</p>
      <QueryState isPending={cases.isPending} error={cases.error} />
      {cases.data && cases.data.items.length === 0 && <p className="alert alert-warn">{t('lagesbild.noCases')}</p>}
      <SelectField label={t('lagesbild.case')} required value={form.caseId} onChange={set('caseId')} description={t('lagesbild.caseHelp')} error={missing.caseId ?? err?.field('caseId')}>
        <option value="">{t('lagesbild.chooseCase')}</option>
        {(cases.data?.items ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.registryNumber} {c.title}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('lagesbild.body')} required value={form.bodyOrganisationId} onChange={set('bodyOrganisationId')} error={missing.bodyOrganisationId ?? err?.field('bodyOrganisationId')}>
        <option value="">{t('lagesbild.chooseBody')}</option>
        {bodies.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
    </FormDialog>
  );
}

/** Where the report stands: the case and its record, and the body's decision (proposed, or decided with its reference). */
export function CaseBox({ decision }: { decision: NonNullable<LagesbildReportDetailT['decision']> }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="lb-case-h">
      <h2 id="lb-case-h">{t('lagesbild.caseHeading')}</h2>
      <dl className="dl">
        <dt>{t('lagesbild.case')}</dt>
        <dd>
          <Link to="/arenden/$id/beslut" params={{ id: decision.caseId }}>
            {t('lagesbild.openCase', { number: decision.registryNumber })}
          </Link>
        </dd>
        {decision.recordNumber && (
          <>
            <dt>{t('lagesbild.caseRecord')}</dt>
            <dd>{decision.recordNumber}</dd>
          </>
        )}
        <dt>{t('lagesbild.decision')}</dt>
        <dd>{decision.reference ? t('lagesbild.decisionDecided', { reference: decision.reference }) : t('lagesbild.decisionDraft', { body: decision.bodyName ?? '–' })}</dd>
      </dl>
    </section>
  );
}

type Finding = LagesbildReportDetailT['findings'][number];

/** The findings of the analysis: edited in a draft (numbered in order); each shows the actions that follow from it. */
export function FindingsSection({ report, editable, onSaved }: { report: LagesbildReportDetailT; editable: boolean; onSaved: (next: LagesbildReportDetailT, message: string) => void }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<{ key: string; id?: string; text: string }[] | null>(null);
  const keySeq = useRef(0);
  const editing = rows ?? report.findings.map((f) => ({ key: f.id, id: f.id, text: f.text }));
  const save = useMutation({
    mutationFn: () => lagesbildApi.saveFindings(report.id, { version: report.version, findings: editing.filter((r) => r.text.trim()).map((r) => ({ ...(r.id ? { id: r.id } : {}), text: r.text })) }),
    onSuccess: (next) => {
      setRows(null);
      onSaved(next, t('lagesbild.findingsSaved', { version: next.version }));
    },
  });
  const change = (i: number, text: string) => setRows(editing.map((r, j) => (j === i ? { ...r, text } : r)));
  return (
    <section className="card" aria-labelledby="lb-findings-h">
      <h2 id="lb-findings-h">{t('lagesbild.findingsHeading')}</h2>
      <p className="small muted">{t('lagesbild.findingsHelp')}</p>
      {!editable && report.findings.length === 0 && <Empty>{t('lagesbild.noFindings')}</Empty>}
      {!editable && (
        <ol className="findings">
          {report.findings.map((f) => (
            <li key={f.id}>
              <p>{f.text}</p>
              <FollowingActions finding={f} />
            </li>
          ))}
        </ol>
      )}
      {editable && (
        <form
          noValidate
          aria-label={t('lagesbild.findingsHeading')}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          {editing.length === 0 && <p className="muted">{t('lagesbild.noFindings')}</p>}
          {editing.map((r, i) => {
            const known = r.id ? report.findings.find((f) => f.id === r.id) : undefined;
            return (
              <div key={r.key} className="finding-row">
                <TextAreaField label={t('lagesbild.findingN', { n: i + 1 })} rows={2} value={r.text} onChange={(e) => change(i, e.target.value)} maxLength={4000} />
                {known && <FollowingActions finding={known} />}
                <button type="button" className="btn btn-small" onClick={() => setRows(editing.filter((_, j) => j !== i))}>
                  {t('lagesbild.removeFinding', { n: i + 1 })}
                </button>
              </div>
            );
          })}
          <ErrorMessage error={save.error} />
          <div className="button-row">
            <button type="button" className="btn" onClick={() => setRows([...editing, { key: `new-${++keySeq.current}`, text: '' }])}>
              {t('lagesbild.addFinding')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {t('lagesbild.saveFindings')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function FollowingActions({ finding }: { finding: Finding }) {
  const { t } = useTranslation();
  return (
    <div className="small">
      <p className="muted">{t('lagesbild.followingActions')}:</p>
      {finding.actions.length === 0 && !finding.hiddenActions ? (
        <p className="muted">{t('lagesbild.noFollowingActions')}</p>
      ) : (
        <ul aria-label={`${t('lagesbild.followingActions')} ${finding.ordinal}`}>
          {finding.actions.map((a) => (
            <li key={a.id}>
              <Link to="/atgarder/$id" params={{ id: a.id }}>
                {a.title}
              </Link>{' '}
              ({a.programTitle})
            </li>
          ))}
          {finding.hiddenActions > 0 && <li className="muted">{t('lagesbild.hiddenActions', { count: finding.hiddenActions })}</li>}
        </ul>
      )}
    </div>
  );
}

/** The imported crime statistics (public data) and, for those who write the lägesbild, the import. */
export function CrimeStatisticsSection({ write }: { write: boolean }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['crime-statistics'], queryFn: () => lagesbildApi.crimeStatistics() });
  const [kind, setKind] = useState<'reported' | 'survey'>('reported');
  const [source, setSource] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const run = useMutation({
    mutationFn: () => lagesbildApi.importCrimeStatistics(file!, kind, source.trim() || undefined),
    onSuccess: async (r) => {
      setNotice(t('lagesbild.statsImported', { count: r.counts.import }));
      setFile(null);
      setFileKey((k) => k + 1);
      await qc.invalidateQueries({ queryKey: ['crime-statistics'] });
      await qc.invalidateQueries({ queryKey: ['lagesbild-report'] });
    },
  });
  const problems = run.error instanceof ApiError && run.error.code === 'IMPORT_INVALID' ? run.error.fields : [];
  const fmt = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: 1 });
  return (
    <section className="card" aria-labelledby="lb-stats-h">
      <h2 id="lb-stats-h">{t('lagesbild.statsHeading')}</h2>
      <p className="small muted">{t('lagesbild.statsIntro')}</p>
      <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />
      {list.data &&
        (list.data.items.length === 0 ? (
          <Empty>{t('lagesbild.statsEmpty')}</Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('lagesbild.statsTable')}>
            <table className="table">
              <caption className="visually-hidden">{t('lagesbild.statsTable')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('lagesbild.statsCol.category')}</th>
                  <th scope="col">{t('lagesbild.statsCol.kind')}</th>
                  <th scope="col">{t('lagesbild.statsCol.year')}</th>
                  <th scope="col">{t('lagesbild.statsCol.value')}</th>
                  <th scope="col">{t('lagesbild.statsCol.source')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.category}</th>
                    <td>{t(`lagesbild.statsKinds.${r.kind}`)}</td>
                    <td>{r.year}</td>
                    <td>{fmt.format(r.value)}</td>
                    <td>{r.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {write && (
        <form
          noValidate
          aria-label={t('lagesbild.statsImport')}
          onSubmit={(e) => {
            e.preventDefault();
            setNotice(null);
            setFileError(file ? undefined : t('lagesbild.statsChooseFile'));
            if (file) run.mutate();
          }}
        >
          <SelectField label={t('lagesbild.statsKind')} value={kind} onChange={(e) => setKind(e.target.value as 'reported' | 'survey')}>
            <option value="reported">{t('lagesbild.statsKinds.reported')}</option>
            <option value="survey">{t('lagesbild.statsKinds.survey')}</option>
          </SelectField>
          <TextField label={t('lagesbild.statsSource')} description={t('lagesbild.statsSourceHelp')} value={source} onChange={(e) => setSource(e.target.value)} maxLength={200} />
          <TextField
            key={fileKey}
            label={t('lagesbild.statsFile')}
            description={t('lagesbild.statsFileHelp')}
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            error={fileError}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <ErrorMessage error={run.error} />
          {problems.length > 0 && (
            <div role="region" aria-label={t('lagesbild.statsProblems')}>
              <h3>{t('lagesbild.statsProblems')}</h3>
              <ul>
                {problems.map((p, i) => (
                  <li key={i}>
                    {p.path === 'file' ? '' : `${p.path}: `}
                    {p.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <button type="submit" className="btn btn-primary" disabled={run.isPending}>
            {t('lagesbild.statsImport')}
          </button>
          <Notice message={notice} />
        </form>
      )}
    </section>
  );
}
