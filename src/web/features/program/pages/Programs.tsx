import { useState } from 'react';
import { Link } from '../../../components/Link.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { PROGRAM_KINDS } from '../../../../shared/schemas/program.ts';
import { ApiError } from '../../../api/client.ts';
import { holds } from '../../auth/api.ts';
import { programs as programApi, type ProgramKind, type ProgramT } from '../api.ts';
import { DocumentStateBadge } from '../../../components/DocumentState.tsx';
import { FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, Notice, QueryState } from '../../../components/Feedback.tsx';
import { TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Badge } from '../../../components/Progress.tsx';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';

export const programsQuery = { queryKey: ['programs'], queryFn: () => programApi.list() };

export function period(p: Pick<ProgramT, 'validFrom' | 'validTo'>) {
  if (!p.validFrom && !p.validTo) return '–';
  return `${p.validFrom ?? ''}–${p.validTo ?? ''}`;
}
/** The adopting decision as cited ("KF 2020-02-27 § 31"), or for a draft the body that is to adopt it. */
export function decision(p: Pick<ProgramT, 'adoptedBy' | 'decisionRef' | 'status'>, t: TFunction) {
  if (p.decisionRef) return p.decisionRef;
  if (p.status === 'draft' && p.adoptedBy) return t('programs.toBeAdoptedBy', { body: p.adoptedBy });
  return p.adoptedBy ?? '–';
}

export function ProgramsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const query = useQuery({ ...programsQuery, enabled: holds(me, 'program.read') });
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  if (!holds(me, 'program.read')) return <Forbidden />;
  return (
    <>
      <PageTitle title={t('programs.title')}>{t('programs.title')}</PageTitle>
      <p className="lead">{t('programs.intro')}</p>
      <Notice message={notice} />
      {holds(me, 'program.manage') && (
        <div className="toolbar">
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t('programs.create')}
          </button>
        </div>
      )}
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data &&
        (query.data.items.length === 0 ? (
          <Empty>{t('programs.empty')}</Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('programs.title')}>
            <table className="table">
              <caption className="visually-hidden">{t('programs.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('programs.name')}</th>
                  <th scope="col">{t('programs.kind')}</th>
                  <th scope="col">{t('programs.decision')}</th>
                  <th scope="col">{t('programs.period')}</th>
                  <th scope="col">{t('programs.status')}</th>
                </tr>
              </thead>
              <tbody>
                {query.data.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to="/program/$id" params={{ id: p.id }} className="strong">
                        {p.title}
                      </Link>
                      {p.isExample && (
                        <>
                          {' '}
                          <Badge>{t('programs.example')}</Badge>
                        </>
                      )}
                    </th>
                    <td>{t(`programKind.${p.kind}`)}</td>
                    <td>{decision(p, t)}</td>
                    <td className="nowrap">{period(p)}</td>
                    <td>
                      <DocumentStateBadge state={p.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {creating && (
        <ProgramDialog
          onClose={() => setCreating(false)}
          onDone={(p) => {
            setCreating(false);
            setNotice(t('programs.created', { title: p.title }));
            void qc.invalidateQueries({ queryKey: ['programs'] });
          }}
        />
      )}
    </>
  );
}

function ProgramDialog({ onClose, onDone }: { onClose: () => void; onDone: (p: ProgramT) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    kind: 'safety_program' as ProgramKind,
    title: '',
    description: '',
    ownerOrganisationId: '',
    adoptedByOrganisationId: '',
    validFrom: '',
    validTo: '',
  });
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const mutation = useMutation({
    mutationFn: () =>
      programApi.create({
        ...form,
        title: form.title.trim(),
        description: form.description.trim() || null,
        adoptedByOrganisationId: form.adoptedByOrganisationId || null,
        validFrom: form.validFrom || null,
        validTo: form.validTo || null,
      }),
    onSuccess: onDone,
  });
  const serverErr = mutation.error instanceof ApiError ? mutation.error : undefined;
  const err = (f: string) => local[f] ?? serverErr?.field(f);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = () => {
    const errs: Record<string, string | undefined> = {
      title: form.title.trim() ? undefined : t('common.fieldRequired'),
      ownerOrganisationId: form.ownerOrganisationId ? undefined : t('common.fieldRequired'),
      validTo: form.validFrom && form.validTo && form.validTo < form.validFrom ? t('action.endBeforeStart') : undefined,
    };
    setLocal(errs);
    if (Object.values(errs).some(Boolean)) return;
    mutation.mutate();
  };
  return (
    <FormDialog isOpen title={t('programs.createTitle')} onClose={onClose} onSubmit={submit} submitLabel={t('common.create')} pending={mutation.isPending} error={mutation.error}>
      <TextField label={t('programs.name')} value={form.title} onChange={set('title')} error={err('title')} required maxLength={300} autoFocus />
      <EnumSelect label={t('programs.kind')} value={form.kind} onChange={set('kind')} error={err('kind')} required values={PROGRAM_KINDS} labelPrefix="programKind" />
      <OrganisationSelect label={t('programs.owner')} value={form.ownerOrganisationId} onChange={set('ownerOrganisationId')} error={err('ownerOrganisationId')} required action="program.manage" emptyLabel={t('common.none')} />
      <TextField label={t('programs.description')} value={form.description} onChange={set('description')} error={err('description')} maxLength={5000} />
      <OrganisationSelect
        label={t('programs.adoptedBy')}
        description={t('programs.adoptedByHint')}
        value={form.adoptedByOrganisationId}
        onChange={set('adoptedByOrganisationId')}
        error={err('adoptedByOrganisationId')}
        filter={(o) => o.type === 'council' || o.type === 'board' || o.type === 'committee'}
        emptyLabel={t('common.none')}
      />
      <TextField label={t('programs.validFrom')} type="date" value={form.validFrom} onChange={set('validFrom')} error={err('validFrom')} />
      <TextField label={t('programs.validTo')} type="date" value={form.validTo} onChange={set('validTo')} error={err('validTo')} />
      <p className="muted">{t('programs.draftHint')}</p>
    </FormDialog>
  );
}
