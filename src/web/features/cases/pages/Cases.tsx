import { useState, type ReactNode } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import { CASE_STATUSES } from '../../../../shared/schemas/cases.ts';
import { ApiError } from '../../../api/client.ts';
import { holds } from '../../auth/api.ts';
import { casesApi, type CaseInput, type SearchHitT } from '../api.ts';
import { FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, QueryState } from '../../../components/Feedback.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { SecrecyBadge } from '../../shares/components/Secrecy.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Pager } from '../../../components/Pager.tsx';
import { useMe } from '../../../session.ts';
import { useOrgs } from '../../../orgs.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';

const PAGE = 25;

/** Search snippets mark matches «like this»: shown as <mark>, never as HTML. */
export function Snippet({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  const re = /«([^»]*)»/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(<mark key={m.index}>{m[1]}</mark>);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

/** Secrecy marking as a badge with its legal reference (text, not colour alone). */

export function CasesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holds(me, 'cases.read');
  const mayRegister = holds(me, 'cases.register');
  const [filter, setFilter] = useState({ status: '', organisationId: '', year: '', q: '' });
  const [offset, setOffset] = useState(0);
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [registering, setRegistering] = useState(false);
  const q = { status: filter.status || undefined, organisationId: filter.organisationId || undefined, year: filter.year ? Number(filter.year) : undefined, q: filter.q || undefined, limit: PAGE, offset };
  const list = useQuery({ queryKey: ['cases', q], queryFn: () => casesApi.list(q), enabled: allowed && !search });
  const hits = useQuery({ queryKey: ['case-search', search], queryFn: () => casesApi.search(search, 50), enabled: allowed && !!search });
  if (!allowed) return <Forbidden />;
  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) => {
    setOffset(0);
    setFilter((f) => ({ ...f, [k]: e.target.value }));
  };
  const thisYear = new Date().getFullYear();
  return (
    <>
      <PageTitle title={t('cases.listTitle')}>{t('cases.listTitle')}</PageTitle>
      <p className="lead">{t('cases.lead')}</p>
      <p>
        <Link to="/sammantraden">{t('meetings.title')}</Link> · <Link to="/anslagstavla">{t('meetings.noticeBoardLink')}</Link>
      </p>
      {mayRegister && (
        <div className="toolbar">
          <button type="button" className="btn btn-primary" onClick={() => setRegistering(true)}>
            {t('cases.register')}
          </button>
        </div>
      )}
      {/* One search box for the registry (issue #13 item 7): it searches cases and records, numbers included;
          without a search the filters narrow the list, side by side across a desktop's width. */}
      <div role="search" className="card" aria-labelledby="case-search-h">
        <h2 id="case-search-h" className="h3">
          {t('cases.searchTitle')}
        </h2>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(searchText.trim());
          }}
        >
          <TextField id="case-search" type="search" label={t('cases.searchLabel')} description={t('cases.searchHint')} value={searchText} onChange={(e) => setSearchText(e.target.value)} maxLength={200} />
          <button type="submit" className="btn btn-primary">
            {t('common.search')}
          </button>
          {search && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setSearch('');
                setSearchText('');
              }}
            >
              {t('cases.showAll')}
            </button>
          )}
        </form>
        {!search && (
          <form className="filters filters-plain" aria-label={t('cases.filters')} onSubmit={(e) => e.preventDefault()}>
            <EnumSelect label={t('cases.status')} value={filter.status} onChange={set('status')} values={CASE_STATUSES} labelPrefix="caseStatus" emptyLabel={t('cases.allStatuses')} />
            <OrganisationSelect label={t('cases.organisation')} value={filter.organisationId} onChange={set('organisationId')} emptyLabel={t('cases.allOrganisations')} />
            <SelectField label={t('cases.year')} value={filter.year} onChange={set('year')}>
              <option value="">{t('cases.allYears')}</option>
              {Array.from({ length: thisYear - 2009 }, (_, i) => thisYear - i).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </SelectField>
            {(filter.status || filter.organisationId || filter.year) && (
              <div className="field">
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    setOffset(0);
                    setFilter({ status: '', organisationId: '', year: '', q: '' });
                  }}
                >
                  {t('common.clearFilter')}
                </button>
              </div>
            )}
          </form>
        )}
      </div>
      {search ? (
        <SearchResults query={search} isPending={hits.isPending} error={hits.error} refetch={() => void hits.refetch()} items={hits.data?.items} total={hits.data?.total ?? 0} />
      ) : (
        <>
          <QueryState isPending={list.isPending} error={list.error} refetch={() => void list.refetch()} />
          {list.data && (
            <>
              <p role="status" className="muted">
                {t('cases.count', { count: list.data.total })}
              </p>
              {list.data.items.length === 0 ? (
                <Empty>{t('cases.empty')}</Empty>
              ) : (
                <div className="table-wrap" tabIndex={0} role="region" aria-label={t('shell.scrollRegion', { name: t('cases.listTitle') })}>
                  <table className="table">
                    <caption className="visually-hidden">{t('cases.listTitle')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('cases.number')}</th>
                        <th scope="col">{t('cases.title')}</th>
                        <th scope="col">{t('cases.status')}</th>
                        <th scope="col">{t('cases.organisation')}</th>
                        <th scope="col">{t('cases.officer')}</th>
                        <th scope="col">{t('cases.registeredOn')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.data.items.map((c) => (
                        <tr key={c.id}>
                          <td className="nowrap">
                            <Link to="/arenden/$id" params={{ id: c.id }}>
                              {c.registryNumber}
                            </Link>
                          </td>
                          <td>
                            {c.title} <SecrecyBadge secrecyRef={c.secrecyRef} />
                          </td>
                          <td>{t(`caseStatus.${c.status}`)}</td>
                          <td>{c.organisation.name}</td>
                          <td>{c.officer?.name ?? '–'}</td>
                          <td className="nowrap">{c.registeredOn}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <Pager total={list.data.total} limit={PAGE} offset={offset} onChange={setOffset} />
            </>
          )}
        </>
      )}
      {registering && <RegisterCaseDialog onClose={() => setRegistering(false)} />}
    </>
  );
}

function SearchResults({ query, isPending, error, refetch, items, total }: { query: string; isPending: boolean; error: unknown; refetch: () => void; items?: SearchHitT[]; total: number }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="case-hits-h">
      <h2 id="case-hits-h">{t('cases.hitsTitle', { query })}</h2>
      <QueryState isPending={isPending} error={error} refetch={refetch} />
      {items && (
        <>
          <p role="status" className="muted">
            {t('cases.hitCount', { count: total })}
          </p>
          {items.length === 0 ? (
            <Empty>{t('cases.noHits')}</Empty>
          ) : (
            <ol className="card-list">
              {items.map((h) => (
                <li key={`${h.kind}-${h.id}`} className="card">
                  <h3 className="h3">
                    {h.caseId ? (
                      <Link to="/arenden/$id" params={{ id: h.caseId }}>
                        {h.number} {h.title}
                      </Link>
                    ) : h.kind === 'document' ? (
                      <Link to="/styrdokument" search={{ dokument: h.id } as never}>
                        {h.title}
                      </Link>
                    ) : (
                      h.title
                    )}
                  </h3>
                  <p className="small muted">
                    {t(`cases.hitKind.${h.kind}`)}
                    {h.date ? ` · ${h.date}` : ''}
                    {h.secret ? ` · ${t('cases.secret')}` : ''}
                  </p>
                  <p>
                    <Snippet text={h.snippet} />
                  </p>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function RegisterCaseDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const options = useQuery({ queryKey: ['case-options'], queryFn: () => casesApi.options() });
  const bodies = options.data?.registryBodies ?? [];
  const me = useMe();
  const orgs = useOrgs();
  // The registering body defaults to the user's own: their home organisation or the nearest body above it
  // (Kommunkontoret → Kommunstyrelsen), not the first in the list, the council (issue #13 item 9).
  const ownBody = (() => {
    const ids = new Set(bodies.map((b) => b.id));
    for (let id: string | null | undefined = me?.user.homeOrganisationId, n = 0; id && n < 20; id = orgs.index.byId.get(id)?.parentId, n++) if (ids.has(id)) return id;
    return bodies[0]?.id ?? '';
  })();
  const form = useForm(
    { registryOrganisationId: '', registryNumber: '', registeredOn: '', externalRegistryNumber: '', title: '', description: '', caseType: '', organisationId: '', officerId: '', concernsChildren: '', childAssessment: '', secrecyRef: '', secrecyReason: '' },
    {
      focusPrefix: 'reg-',
      validate: (v) => {
        const req = t('common.fieldRequired');
        return {
          registryOrganisationId: v.registryOrganisationId || ownBody ? undefined : req,
          title: v.title.trim() ? undefined : req,
          caseType: v.caseType ? undefined : req,
          organisationId: v.organisationId ? undefined : req,
          childAssessment: v.concernsChildren && !v.childAssessment.trim() ? t('cases.childAssessmentRequired') : undefined,
          secrecyReason: v.secrecyRef.trim() && !v.secrecyReason.trim() ? req : undefined,
        };
      },
      submit: (v) => {
        const body: CaseInput = {
          registryOrganisationId: v.registryOrganisationId || ownBody,
          title: v.title,
          description: v.description || null,
          caseType: v.caseType,
          organisationId: v.organisationId,
          officerId: v.officerId || null,
          concernsChildren: v.concernsChildren === '' ? null : v.concernsChildren === 'yes',
          childAssessment: v.childAssessment || null,
          secrecyRef: v.secrecyRef || null,
          secrecyReason: v.secrecyRef ? v.secrecyReason || null : null,
          externalRegistryNumber: v.externalRegistryNumber.trim() || null,
          ...(v.registryNumber.trim() ? { registryNumber: v.registryNumber.trim(), ...(v.registeredOn ? { registeredOn: v.registeredOn } : {}) } : {}),
        };
        return casesApi.register(body);
      },
      onSuccess: (c) => {
        void qc.invalidateQueries({ queryKey: ['cases'] });
        onClose();
        void navigate({ to: '/arenden/$id', params: { id: c.id } });
      },
    },
  );
  const { values: v, set, err } = form;
  const registryOrganisationId = v.registryOrganisationId || ownBody;
  return (
    <FormDialog isOpen title={t('cases.registerTitle')} submitLabel={t('cases.registerSubmit')} onClose={onClose} onSubmit={() => void form.handleSubmit()} pending={form.submitting} error={form.error instanceof ApiError && form.error.fields.length ? null : form.error}>
      <QueryState isPending={options.isPending} error={options.error} />
      <SelectField id="reg-registryOrganisationId" label={t('cases.registryBody')} description={t('cases.registryBodyHint')} value={registryOrganisationId} onChange={set('registryOrganisationId')} error={err('registryOrganisationId')} required>
        {bodies.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name} ({b.series})
          </option>
        ))}
      </SelectField>
      <TextField id="reg-title" label={t('cases.title')} value={v.title} onChange={set('title')} error={err('title')} required maxLength={500} />
      <TextAreaField id="reg-description" label={t('cases.description')} value={v.description} onChange={set('description')} error={err('description')} maxLength={20000} />
      <div className="grid-2">
        <SelectField id="reg-caseType" label={t('cases.caseType')} value={v.caseType} onChange={set('caseType')} error={err('caseType')} required>
          <option value="">{t('cases.choose')}</option>
          {(options.data?.caseTypes ?? []).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <OrganisationSelect id="reg-organisationId" label={t('cases.responsible')} value={v.organisationId} onChange={set('organisationId')} error={err('organisationId')} required emptyLabel={t('cases.choose')} />
        <SelectField id="reg-officerId" label={t('cases.officer')} value={v.officerId} onChange={set('officerId')} error={err('officerId')}>
          <option value="">{t('cases.noOfficer')}</option>
          {(options.data?.officers ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <TextField id="reg-secrecyRef" label={t('cases.secrecyRef')} description={t('cases.secrecyRefHint')} value={v.secrecyRef} onChange={set('secrecyRef')} error={err('secrecyRef')} maxLength={200} />
        {v.secrecyRef.trim() && (
          <TextAreaField id="reg-secrecyReason" label={t('cases.secrecyReason')} value={v.secrecyReason} onChange={set('secrecyReason')} error={err('secrecyReason')} required maxLength={2000} />
        )}
      </div>
      <SelectField id="reg-concernsChildren" label={t('cases.concernsChildren')} value={v.concernsChildren} onChange={set('concernsChildren')}>
        <option value="">{t('cases.notAssessed')}</option>
        <option value="yes">{t('common.yes')}</option>
        <option value="no">{t('common.no')}</option>
      </SelectField>
      <TextAreaField id="reg-childAssessment" label={t('cases.childAssessment')} description={t('cases.childAssessmentHint')} value={v.childAssessment} onChange={set('childAssessment')} error={err('childAssessment')} required={!!v.concernsChildren} maxLength={5000} />
      <TextField id="reg-externalRegistryNumber" label={t('cases.externalNumber')} description={t('cases.externalNumberHint')} value={v.externalRegistryNumber} onChange={set('externalRegistryNumber')} error={err('externalRegistryNumber')} maxLength={60} />
      <details className="disclosure" open={!!(v.registryNumber || err('registryNumber') || err('registeredOn')) || undefined}>
        <summary>{t('cases.existingNumber')}</summary>
        <div className="grid-2">
          <TextField id="reg-registryNumber" label={t('cases.registryNumber')} description={t('cases.registryNumberHint')} value={v.registryNumber} onChange={set('registryNumber')} error={err('registryNumber')} maxLength={30} />
          <TextField id="reg-registeredOn" type="date" label={t('cases.registeredOn')} value={v.registeredOn} onChange={set('registeredOn')} error={err('registeredOn')} />
        </div>
      </details>
    </FormDialog>
  );
}
