import { useEffect, useId, useState, type FormEvent } from 'react';
import { UnmappedPoliceTypes } from '../components/UnmappedPoliceTypes.tsx';
import { useNavigate, useParams } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { LAGESBILD_REPORT_EXPORT, STATISTICS_EXPORT, mondayOfWeek, shiftWeek } from '../../../../shared/schemas/lagesbild.ts';
import type { DocumentModelT } from '../../../../shared/schemas/program.ts';
import { ApiError } from '../../../api/client.ts';
import { holdsAtRoot } from '../../auth/api.ts';
import { lagesbildApi, type LagesbildReportDetailT, type WeeklyViewT } from '../api.ts';
import { ExportPanel } from '../../../components/ExportPanel.tsx';
import { Empty, ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { formatDateTime } from '../../../format.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { SecrecyBadge, SecrecyControl } from '../../shares/components/Secrecy.tsx';
import { SharesSection } from '../../shares/components/Shares.tsx';
import { stockholmToIso } from './IncidentReport.tsx';
import { CaseBox, CrimeStatisticsSection, FindingsSection, SubmitDialog } from '../components/LagesbildCasework.tsx';

/** The lägesbild pages are the municipality's: read with incidents.read (or manage) on it. */
function useLagesbildRights() {
  const me = useMe();
  return { read: holdsAtRoot(me, 'incidents.read') || holdsAtRoot(me, 'incidents.manage'), write: holdsAtRoot(me, 'incidents.manage') };
}

const number = (lang: string, v: number) => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: 1 }).format(v);
const weekLabel = (t: TFunction, week: string) => {
  const [year, n] = week.split('-W');
  return t('lagesbild.weekLabel', { week: Number(n), year });
};

type Counts = WeeklyViewT['total'];
/** A table of counts: the first column names the row (th scope=row); the trend is said in words. */
function CountsTable({ caption, nameHeader, rows }: { caption: string; nameHeader: string; rows: (Counts & { name: string; key: string })[] }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="table">
        <caption className="table-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{nameHeader}</th>
            <th scope="col">{t('lagesbild.col.incidents')}</th>
            <th scope="col">{t('lagesbild.col.police')}</th>
            <th scope="col">{t('lagesbild.col.total')}</th>
            <th scope="col">{t('lagesbild.col.average')}</th>
            <th scope="col">{t('lagesbild.col.trend')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td>{r.incidents}</td>
              <td>{r.police}</td>
              <td>{r.total}</td>
              <td>{number(i18n.language, r.average)}</td>
              <td>{t(`lagesbild.trend.${r.trend}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WeeklyLagesbildPage() {
  const { t, i18n } = useTranslation();
  const rights = useLagesbildRights();
  const [week, setWeek] = useState<string | undefined>(undefined);
  const [compare, setCompare] = useState(4);
  const q = useQuery({ queryKey: ['lagesbild-week', week ?? 'last', compare], queryFn: () => lagesbildApi.week({ week, compare }), enabled: rights.read });
  if (!rights.read) return <Forbidden />;
  const v = q.data;
  const shown = v?.week ?? week;
  const go = (w: string) => setWeek(w);
  return (
    <>
      <PageTitle title={t('lagesbild.weeklyTitle')}>{t('lagesbild.weeklyTitle')}</PageTitle>
      <p className="lead">{t('lagesbild.weeklyIntro')}</p>
      <form className="card toolbar" aria-label={t('lagesbild.chooseWeek')} onSubmit={(e) => e.preventDefault()}>
        <TextField
          label={t('lagesbild.week')}
          type="week"
          value={shown ?? ''}
          description={t('lagesbild.weekHelp')}
          onChange={(e) => {
            if (mondayOfWeek(e.target.value)) go(e.target.value);
          }}
        />
        <SelectField label={t('lagesbild.compare')} value={String(compare)} onChange={(e) => setCompare(Number(e.target.value))}>
          {[1, 2, 4, 8, 12].map((n) => (
            <option key={n} value={n}>
              {t('lagesbild.compareWeeks', { count: n })}
            </option>
          ))}
        </SelectField>
        {shown && (
          <div className="button-row compact">
            <button type="button" className="btn" onClick={() => go(shiftWeek(shown, -1))}>
              {t('lagesbild.previousWeek')}
            </button>
            <button type="button" className="btn" onClick={() => go(shiftWeek(shown, 1))}>
              {t('lagesbild.nextWeek')}
            </button>
          </div>
        )}
      </form>
      <QueryState isPending={q.isPending} error={q.error} refetch={() => void q.refetch()} />
      {v && (
        <>
          <section aria-labelledby="lb-week-h">
            <h2 id="lb-week-h">{t('lagesbild.weekHeading', { n: Number(v.week.split('-W')[1]), year: v.week.slice(0, 4), from: v.from, to: v.to })}</h2>
            <p role="status">
              {t('lagesbild.summary', {
                total: v.total.total,
                incidents: v.total.incidents,
                police: v.total.police,
                count: v.compareWeeks.length - 1,
                average: number(i18n.language, v.total.average),
              })}{' '}
              {t(`lagesbild.trendSentence.${v.total.trend}`)}
            </p>
            {v.unmappedPolice > 0 && <p className="muted">{t('lagesbild.unmappedPolice', { count: v.unmappedPolice })}</p>}
            <UnmappedPoliceTypes types={v.unmappedTypes} canMap={v.allowedActions.includes('mapTypes')} />
            {v.byCategory.length === 0 ? (
              <Empty>{t('lagesbild.emptyWeek')}</Empty>
            ) : (
              <>
                <CountsTable
                  caption={t('lagesbild.byCategory')}
                  nameHeader={t('lagesbild.col.category')}
                  rows={v.byCategory.map((c) => ({ ...c, key: c.categoryId ?? 'none', name: c.categoryName }))}
                />
                <CountsTable
                  caption={t('lagesbild.byArea')}
                  nameHeader={t('lagesbild.col.area')}
                  rows={v.byArea.map((a) => ({ ...a, key: a.areaId ?? 'none', name: a.areaName ?? t('lagesbild.noArea') }))}
                />
              </>
            )}
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('lagesbild.weeksTable')}>
              <table className="table">
                <caption className="table-caption">{t('lagesbild.weeksTable')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('lagesbild.week')}</th>
                    <th scope="col">{t('lagesbild.col.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.compareWeeks.map((w) => (
                    <tr key={w.week}>
                      <th scope="row">
                        {weekLabel(t, w.week)}
                        {w.week === v.week && <> ({t('lagesbild.thisWeek')})</>}
                      </th>
                      <td>{w.total}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <WeekNote view={v} onReload={() => void q.refetch()} />
          <section className="card" aria-labelledby="lb-export-h">
            <h2 id="lb-export-h">{t('lagesbild.exportWeek')}</h2>
            <p className="small muted">{t('lagesbild.exportWeekHelp')}</p>
            <ExportPanel
              kind={STATISTICS_EXPORT}
              formats={['pdf', 'xlsx']}
              what={t('lagesbild.exportWeek')}
              params={{ from: stockholmToIso(`${v.from}T00:00`), to: stockholmToIso(`${mondayOfWeek(shiftWeek(v.week, 1))}T00:00`) }}
            />
          </section>
        </>
      )}
    </>
  );
}

/** The note from the weekly review: shown to every reader, written by those who manage incidents on the municipality. */
function WeekNote({ view, onReload }: { view: WeeklyViewT; onReload: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [text, setText] = useState(view.note?.text ?? '');
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    setText(view.note?.text ?? '');
  }, [view.week, view.note?.version, view.note?.text]);
  const save = useMutation({
    mutationFn: () => lagesbildApi.saveNote(view.week, { text, version: view.note?.version ?? null }),
    onSuccess: async () => {
      setSaved(t('lagesbild.noteSaved'));
      await qc.invalidateQueries({ queryKey: ['lagesbild-week'] });
    },
  });
  const may = view.allowedActions.includes('note');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    save.mutate();
  };
  return (
    <section className="card" aria-labelledby="lb-note-h">
      <h2 id="lb-note-h">{t('lagesbild.noteHeading')}</h2>
      {view.note ? (
        <p className="small muted">{t('lagesbild.noteMeta', { name: view.note.updatedBy.name, at: formatDateTime(view.note.updatedAt), version: view.note.version })}</p>
      ) : (
        !may && <Empty>{t('lagesbild.noNote')}</Empty>
      )}
      {may ? (
        <form onSubmit={submit} noValidate>
          <TextAreaField label={t('lagesbild.noteLabel')} description={t('lagesbild.noteHelp')} rows={6} value={text} onChange={(e) => setText(e.target.value)} maxLength={20_000} />
          <ErrorMessage
            error={save.error}
            onReload={() => {
              save.reset();
              onReload();
            }}
          />
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {t('lagesbild.saveNote')}
          </button>
        </form>
      ) : (
        view.note && <p className="pre-wrap">{view.note.text}</p>
      )}
      <Notice message={saved} />
    </section>
  );
}

// --- The lägesbild report (Lag 2023:196) ---

export function LagesbildReportsPage() {
  const { t } = useTranslation();
  const rights = useLagesbildRights();
  const navigate = useNavigate();
  const list = useQuery({ queryKey: ['lagesbild-reports'], queryFn: () => lagesbildApi.reports(), enabled: rights.read });
  const year = new Date().getFullYear();
  const [form, setForm] = useState({ title: '', periodFrom: `${year}-01-01`, periodTo: `${year}-04-30` });
  const create = useMutation({
    mutationFn: () => lagesbildApi.create(form),
    onSuccess: (r) => void navigate({ to: '/lagesbild/rapporter/$id', params: { id: r.id } }),
  });
  if (!rights.read) return <Forbidden />;
  const err = create.error instanceof ApiError ? create.error : undefined;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <>
      <PageTitle title={t('lagesbild.reportsTitle')}>{t('lagesbild.reportsTitle')}</PageTitle>
      <p className="lead">{t('lagesbild.reportsIntro')}</p>
      <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />
      {list.data &&
        (list.data.items.length === 0 ? (
          <Empty>{t('lagesbild.noReports')}</Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('lagesbild.reportsTitle')}>
            <table className="table">
              <caption className="visually-hidden">{t('lagesbild.reportsTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('lagesbild.title')}</th>
                  <th scope="col">{t('lagesbild.period')}</th>
                  <th scope="col">{t('lagesbild.status')}</th>
                  <th scope="col">{t('lagesbild.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to="/lagesbild/rapporter/$id" params={{ id: r.id }}>
                        {r.title}
                      </Link>{' '}
                      <SecrecyBadge secrecyRef={r.secrecyRef} />
                    </th>
                    <td>
                      {r.periodFrom}–{r.periodTo}
                    </td>
                    <td>{t(`lagesbild.reportStatus.${r.status}`)}</td>
                    <td>
                      {formatDateTime(r.updatedAt)} {r.updatedBy && <>({r.updatedBy.name})</>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {rights.write && (
        <section className="card" aria-labelledby="lb-new-h">
          <h2 id="lb-new-h">{t('lagesbild.newReport')}</h2>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <TextField label={t('lagesbild.title')} required value={form.title} onChange={set('title')} error={err?.field('title')} maxLength={300} />
            <div className="grid-2">
              <TextField label={t('lagesbild.periodFrom')} type="date" required value={form.periodFrom} onChange={set('periodFrom')} error={err?.field('periodFrom')} />
              <TextField label={t('lagesbild.periodTo')} type="date" required value={form.periodTo} onChange={set('periodTo')} error={err?.field('periodTo')} />
            </div>
            <ErrorMessage error={create.error} />
            <button type="submit" className="btn btn-primary" disabled={create.isPending}>
              {t('lagesbild.createReport')}
            </button>
          </form>
        </section>
      )}
      <CrimeStatisticsSection write={rights.write} />
    </>
  );
}

/** Text and tables as the documents show them (the generated part of the mapping). */
function Blocks({ blocks }: { blocks: DocumentModelT['blocks'] }) {
  return (
    <>
      {blocks.map((b, i) => {
        if (b.type === 'paragraph') return <p key={i} className={b.muted ? 'small muted' : undefined}>{b.text}</p>;
        if (b.type === 'heading') return <h3 key={i}>{b.text}</h3>;
        if (b.type !== 'table') return null;
        const name = b.caption ?? '';
        return (
          <div key={i} className="table-wrap" tabIndex={0} role="region" aria-label={name}>
            <table className="table">
              <caption className="table-caption">{name}</caption>
              <thead>
                <tr>
                  {b.columns.map((c) => (
                    <th key={c.header} scope="col">
                      {c.header}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {b.rows.map((r, j) => (
                  <tr key={j}>
                    {r.map((cell, k) =>
                      k === 0 ? (
                        <th key={k} scope="row">
                          {cell}
                        </th>
                      ) : (
                        <td key={k}>{cell}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </>
  );
}

type Draft = Pick<LagesbildReportDetailT, 'title' | 'periodFrom' | 'periodTo' | 'mappingText' | 'otherText' | 'analysisText'>;
const draftOf = (r: LagesbildReportDetailT): Draft => ({ title: r.title, periodFrom: r.periodFrom, periodTo: r.periodTo, mappingText: r.mappingText, otherText: r.otherText, analysisText: r.analysisText });

export function LagesbildReportPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/app/lagesbild/rapporter/$id' });
  const rights = useLagesbildRights();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['lagesbild-report', id], queryFn: () => lagesbildApi.report(id), enabled: rights.read });
  const versions = useQuery({ queryKey: ['lagesbild-report', id, 'versions'], queryFn: () => lagesbildApi.versions(id), enabled: rights.read });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const r = q.data;
  useEffect(() => {
    if (r) setDraft(draftOf(r));
  }, [r?.id, r?.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const refresh = async (next: LagesbildReportDetailT, message: string) => {
    qc.setQueryData(['lagesbild-report', id], next);
    setDraft(draftOf(next));
    setNotice(message);
    await qc.invalidateQueries({ queryKey: ['lagesbild-report', id, 'versions'] });
    await qc.invalidateQueries({ queryKey: ['lagesbild-reports'] });
  };
  const save = useMutation({ mutationFn: () => lagesbildApi.update(id, { version: r!.version, ...draft! }), onSuccess: (n) => refresh(n, t('lagesbild.saved', { version: n.version })) });
  const withdraw = useMutation({ mutationFn: () => lagesbildApi.withdraw(id, r!.version), onSuccess: (n) => refresh(n, t('lagesbild.withdrawnNotice')) });
  const reopen = useMutation({ mutationFn: () => lagesbildApi.newVersion(id, r!.version), onSuccess: (n) => refresh(n, t('lagesbild.reopenedNotice')) });
  if (!rights.read) return <Forbidden />;
  if (!r || !draft) return <QueryState isPending={q.isPending} error={q.error} refetch={() => void q.refetch()} />;
  const editable = r.allowedActions.includes('edit');
  const err = save.error instanceof ApiError ? save.error : undefined;
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => (d ? { ...d, [k]: e.target.value } : d));
  const reload = async () => {
    save.reset();
    withdraw.reset();
    reopen.reset();
    const fresh = await q.refetch();
    if (fresh.data) setDraft(draftOf(fresh.data));
  };
  const status =
    r.status === 'adopted'
      ? r.decision?.reference
        ? t('lagesbild.adoptedByDecision', { date: formatDateTime(r.adoptedAt), reference: r.decision.reference })
        : t('lagesbild.adoptedBy', { date: formatDateTime(r.adoptedAt), name: r.adoptedBy?.name ?? '' })
      : t(`lagesbild.reportStatus.${r.status}`);
  return (
    <>
      <p className="small">
        <Link to="/lagesbild/rapporter">{t('lagesbild.backToReports')}</Link>
      </p>
      <PageTitle title={r.title}>{r.title}</PageTitle>
      <p>
        {t('lagesbild.lawNote')} · {t('lagesbild.period')}: {r.periodFrom}–{r.periodTo} · {t('lagesbild.status')}: {status} · {t('lagesbild.versionN', { version: r.version })}
      </p>
      {rights.write && <SecrecyControl type="lagesbild_report" id={r.id} onChange={setNotice} />}
      <Notice message={notice} />
      {r.status === 'adopted' && <p className="alert alert-warn">{t('lagesbild.adoptedInfo')}</p>}
      {r.status === 'submitted' && <p className="alert alert-warn">{t('lagesbild.submittedInfo')}</p>}
      {r.decision && <CaseBox decision={r.decision} />}

      <form
        noValidate
        aria-label={t('lagesbild.editor')}
        onSubmit={(e) => {
          e.preventDefault();
          setNotice(null);
          save.mutate();
        }}
      >
        {editable && (
          <section className="card" aria-labelledby="lb-basics-h">
            <h2 id="lb-basics-h">{t('lagesbild.basics')}</h2>
            <TextField label={t('lagesbild.title')} required value={draft.title} onChange={set('title')} error={err?.field('title')} maxLength={300} />
            <div className="grid-2">
              <TextField label={t('lagesbild.periodFrom')} type="date" required value={draft.periodFrom} onChange={set('periodFrom')} error={err?.field('periodFrom')} />
              <TextField label={t('lagesbild.periodTo')} type="date" required value={draft.periodTo} onChange={set('periodTo')} error={err?.field('periodTo')} />
            </div>
          </section>
        )}
        <section className="card" aria-labelledby="lb-part1-h">
          <h2 id="lb-part1-h">{t('lagesbild.part1')}</h2>
          <p className="small muted">{r.status === 'adopted' ? t('lagesbild.generatedFrozen') : t('lagesbild.generatedLive')}</p>
          <Blocks blocks={r.generated} />
          <PartText editable={editable} label={t('lagesbild.part1Text')} help={t('lagesbild.part1Help')} value={draft.mappingText} onChange={set('mappingText')} />
        </section>
        <section className="card" aria-labelledby="lb-part2-h">
          <h2 id="lb-part2-h">{t('lagesbild.part2')}</h2>
          <PartText editable={editable} label={t('lagesbild.part2Text')} help={t('lagesbild.part2Help')} value={draft.otherText} onChange={set('otherText')} />
        </section>
        <section className="card" aria-labelledby="lb-part3-h">
          <h2 id="lb-part3-h">{t('lagesbild.part3')}</h2>
          <PartText editable={editable} label={t('lagesbild.part3Text')} help={t('lagesbild.part3Help')} value={draft.analysisText} onChange={set('analysisText')} />
        </section>
        <ErrorMessage error={save.error ?? reopen.error ?? withdraw.error} onReload={() => void reload()} />
        <div className="button-row">
          {editable && (
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {t('lagesbild.save')}
            </button>
          )}
          {r.allowedActions.includes('submit') && (
            <button type="button" className="btn" onClick={() => setSubmitting(true)}>
              {t('lagesbild.submit')}
            </button>
          )}
          {r.allowedActions.includes('withdraw') && (
            <button type="button" className="btn" onClick={() => withdraw.mutate()} disabled={withdraw.isPending}>
              {t('lagesbild.withdraw')}
            </button>
          )}
          {r.allowedActions.includes('reopen') && (
            <button type="button" className="btn" onClick={() => reopen.mutate()} disabled={reopen.isPending}>
              {t('lagesbild.newVersion')}
            </button>
          )}
        </div>
      </form>
      <FindingsSection report={r} editable={editable} onSaved={(n, message) => void refresh(n, message)} />
      {submitting && (
        <SubmitDialog
          report={r}
          onClose={() => setSubmitting(false)}
          onDone={(n) => {
            setSubmitting(false);
            void refresh(n, t('lagesbild.submittedNotice', { number: n.decision?.registryNumber ?? '' }));
          }}
        />
      )}

      <SharesSection recordType="lagesbild_report" recordId={r.id} />

      <section className="card" aria-labelledby="lb-docs-h">
        <h2 id="lb-docs-h">{t('lagesbild.documents')}</h2>
        <p className="small muted">{t('lagesbild.documentsHelp', { version: r.version })}</p>
        <ExportPanel key={r.version} kind={LAGESBILD_REPORT_EXPORT} formats={['docx', 'pdf']} what={r.title} params={{ reportId: r.id }} />
      </section>

      <section className="card" aria-labelledby="lb-versions-h">
        <h2 id="lb-versions-h">{t('lagesbild.versions')}</h2>
        <QueryState isPending={versions.isPending} error={versions.error} />
        {versions.data && (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('lagesbild.versions')}>
            <table className="table">
              <caption className="visually-hidden">{t('lagesbild.versions')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('lagesbild.version')}</th>
                  <th scope="col">{t('lagesbild.event')}</th>
                  <th scope="col">{t('lagesbild.status')}</th>
                  <th scope="col">{t('lagesbild.savedBy')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('lagesbild.show')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {versions.data.items.map((v) => (
                  <tr key={v.version}>
                    <th scope="row">{v.version}</th>
                    <td>{t(`lagesbild.versionEvent.${v.event}`)}</td>
                    <td>{t(`lagesbild.reportStatus.${v.status}`)}</td>
                    <td>
                      {v.savedBy?.name ?? '–'}, {formatDateTime(v.savedAt)}
                    </td>
                    <td>
                      <button type="button" className="btn btn-small" aria-pressed={shownVersion === v.version} onClick={() => setShownVersion(shownVersion === v.version ? null : v.version)}>
                        {t('lagesbild.showVersion', { version: v.version })}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {shownVersion !== null && <VersionView id={id} version={shownVersion} />}
      </section>
    </>
  );
}

function PartText({ editable, label, help, value, onChange }: { editable: boolean; label: string; help: string; value: string; onChange: (e: { target: { value: string } }) => void }) {
  const { t } = useTranslation();
  const id = useId();
  if (editable) return <TextAreaField label={label} description={help} rows={8} value={value} onChange={onChange} maxLength={100_000} />;
  return (
    <div aria-labelledby={id} role="group">
      <h3 id={id}>{label}</h3>
      {value ? <p className="pre-wrap">{value}</p> : <p className="muted">{t('lagesbild.noText')}</p>}
    </div>
  );
}

function VersionView({ id, version }: { id: string; version: number }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['lagesbild-report', id, 'version', version], queryFn: () => lagesbildApi.version(id, version) });
  return (
    <section aria-labelledby="lb-version-h" className="version-view">
      <h3 id="lb-version-h">{t('lagesbild.versionHeading', { version })}</h3>
      <QueryState isPending={q.isPending} error={q.error} />
      {q.data && (
        <>
          <p className="small">
            {q.data.content.title} · {q.data.content.periodFrom}–{q.data.content.periodTo} · {t(`lagesbild.reportStatus.${q.data.content.status}`)}
          </p>
          <dl>
            <dt>{t('lagesbild.part1Text')}</dt>
            <dd className="pre-wrap">{q.data.content.mappingText || t('lagesbild.noText')}</dd>
            <dt>{t('lagesbild.part2Text')}</dt>
            <dd className="pre-wrap">{q.data.content.otherText || t('lagesbild.noText')}</dd>
            <dt>{t('lagesbild.part3Text')}</dt>
            <dd className="pre-wrap">{q.data.content.analysisText || t('lagesbild.noText')}</dd>
          </dl>
          <ExportPanel kind={LAGESBILD_REPORT_EXPORT} formats={['docx', 'pdf']} what={`${q.data.content.title} v${version}`} params={{ reportId: id, version }} />
        </>
      )}
    </section>
  );
}
