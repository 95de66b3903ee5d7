import { useMemo, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import { ROLES, type Role } from '../../../../shared/roles.ts';
import { MIN_PASSWORD } from '../../../../shared/schemas/users.ts';
import { ApiError } from '../../../api/client.ts';
import { holds } from '../../auth/api.ts';
import { organisations as orgApi, type OrganisationT } from '../../organisations/api.ts';
import { users as userApi, type UserT } from '../api.ts';
import { CheckboxField, SelectField, TextField } from '../../../components/Field.tsx';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, Notice, QueryState } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Pager } from '../../../components/Pager.tsx';
import { formatDateTime } from '../../../format.ts';
import { canOn } from '../../../permissions.ts';
import { useMe } from '../../../session.ts';
import { flatten, indent, indexOrgs } from '../../organisations/tree.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';

const LIMIT = 20;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type DialogState =
  | { kind: 'create' }
  | { kind: 'edit'; user: UserT }
  | { kind: 'active'; user: UserT }
  | { kind: 'grant'; user: UserT }
  | { kind: 'revoke'; user: UserT; grantId: string; role: Role; org: string }
  | null;

export function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [searchText, setSearchText] = useState('');
  const [q, setQ] = useState('');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [offset, setOffset] = useState(0);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const query = useQuery({
    queryKey: ['users', { q, includeInactive, offset }],
    queryFn: () => userApi.list({ q: q || undefined, includeInactive, limit: LIMIT, offset }),
    placeholderData: keepPreviousData,
    enabled: holds(me, 'users.read'),
  });
  const orgQuery = useQuery({ queryKey: ['organisations', false], queryFn: () => orgApi.list(false), enabled: holds(me, 'users.read') });
  const orgIndex = useMemo(() => indexOrgs(orgQuery.data?.items ?? []), [orgQuery.data]);
  const orgsWhere = (action: 'users.manage' | 'roles.grant') =>
    flatten(orgIndex).filter(({ org }) => canOn(me, action, org.id, orgIndex.byId));

  if (!holds(me, 'users.read')) return <Forbidden />;
  const grantOrgs = orgsWhere('roles.grant');

  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
    void qc.invalidateQueries({ queryKey: ['users'] });
    void qc.invalidateQueries({ queryKey: ['me'] });
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    setQ(searchText.trim());
    setOffset(0);
  };

  return (
    <>
      <PageTitle title={t('users.title')}>{t('users.title')}</PageTitle>
      <p className="lead">{t('users.intro')}</p>
      <Notice message={notice} />
      <div className="toolbar">
        <form role="search" onSubmit={search} className="inline-form">
          <TextField label={t('users.search')} type="search" value={searchText} onChange={(e) => setSearchText(e.target.value)} maxLength={200} />
          <button type="submit" className="btn">
            {t('common.search')}
          </button>
        </form>
        <CheckboxField
          label={t('common.includeInactive')}
          checked={includeInactive}
          onChange={(e) => {
            setIncludeInactive(e.target.checked);
            setOffset(0);
          }}
        />
        {holds(me, 'users.manage') && (
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'create' })}>
            {t('users.create')}
          </button>
        )}
      </div>
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data &&
        (query.data.items.length === 0 ? (
          <Empty>{t('users.empty')}</Empty>
        ) : (
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('users.title')}>
              <table className="table">
                <caption className="visually-hidden">{t('users.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('users.name')}</th>
                    <th scope="col">{t('users.home')}</th>
                    <th scope="col">{t('users.roles')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">{t('users.lastLogin')}</th>
                    <th scope="col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {query.data.items.map((u) => {
                    const manage = u.allowedActions.includes('users.manage');
                    const grant = grantOrgs.length > 0;
                    return (
                      <tr key={u.id}>
                        <th scope="row">
                          <span className="strong">{u.name}</span>
                          <br />
                          <span className="muted small">{u.email}</span>
                        </th>
                        <td>{u.homeOrganisationName}</td>
                        <td>
                          {u.grants.length === 0 ? (
                            <span className="muted">{t('users.noRoles')}</span>
                          ) : (
                            <ul className="plain-list">
                              {u.grants.map((g) => {
                                const role = t(`role.${g.role}`);
                                const mayRevoke = canOn(me, 'roles.grant', g.organisationId, orgIndex.byId);
                                return (
                                  <li key={g.id} className="grant">
                                    <span>
                                      {t('start.roleOn', { role, org: g.organisationName })}
                                      {g.includeSubtree && <span className="muted"> ({t('start.subtree')})</span>}
                                    </span>
                                    {mayRevoke && (
                                      <button
                                        type="button"
                                        className="btn btn-small"
                                        aria-label={t('users.revokeLabel', { role, org: g.organisationName })}
                                        onClick={() => setDialog({ kind: 'revoke', user: u, grantId: g.id, role: g.role, org: g.organisationName })}
                                      >
                                        <span aria-hidden="true">✕</span>
                                      </button>
                                    )}
                                  </li>
                                );
                              })}
                            </ul>
                          )}
                        </td>
                        <td>{u.active ? (u.lastLoginAt || !u.mustChangePassword ? t('common.active') : t('users.invited')) : t('common.inactive')}</td>
                        <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t('users.never')}</td>
                        <td>
                          <div className="button-row compact">
                            {manage && (
                              <button type="button" className="btn btn-small" aria-label={t('users.editLabel', { name: u.name })} onClick={() => setDialog({ kind: 'edit', user: u })}>
                                {t('common.edit')}
                              </button>
                            )}
                            {grant && u.active && (
                              <button type="button" className="btn btn-small" aria-label={t('users.grantLabel', { name: u.name })} onClick={() => setDialog({ kind: 'grant', user: u })}>
                                {t('users.grant')}
                              </button>
                            )}
                            {manage && u.id !== me?.user.id && (
                              <button
                                type="button"
                                className="btn btn-small"
                                aria-label={t(u.active ? 'users.deactivateLabel' : 'users.activateLabel', { name: u.name })}
                                onClick={() => setDialog({ kind: 'active', user: u })}
                              >
                                {u.active ? t('users.deactivate') : t('users.activate')}
                              </button>
                            )}
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager total={query.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
          </>
        ))}

      {dialog?.kind === 'create' && (
        <UserFormDialog orgs={orgsWhere('users.manage')} onClose={() => setDialog(null)} onDone={(u) => done(t('users.created', { name: u.name }))} />
      )}
      {dialog?.kind === 'edit' && (
        <UserFormDialog
          user={dialog.user}
          orgs={orgsWhere('users.manage')}
          onClose={() => setDialog(null)}
          onDone={() => done(t('users.updated'))}
        />
      )}
      {dialog?.kind === 'grant' && (
        <GrantDialog user={dialog.user} orgs={grantOrgs} onClose={() => setDialog(null)} onDone={() => done(t('users.granted'))} />
      )}
      {dialog?.kind === 'active' && <ActiveDialog user={dialog.user} onClose={() => setDialog(null)} onDone={(u) => done(t(u.active ? 'users.activated' : 'users.deactivated', { name: u.name }))} />}
      {dialog?.kind === 'revoke' && (
        <RevokeDialog
          user={dialog.user}
          grantId={dialog.grantId}
          text={t('users.revokeText', { role: t(`role.${dialog.role}`), org: dialog.org, name: dialog.user.name })}
          onClose={() => setDialog(null)}
          onDone={() => done(t('users.revoked'))}
        />
      )}
    </>
  );
}

type OrgOption = { org: OrganisationT; depth: number };

function OrgOptions({ orgs }: { orgs: OrgOption[] }) {
  return (
    <>
      {orgs.map(({ org, depth }) => (
        <option key={org.id} value={org.id}>
          {indent(depth) + org.name}
        </option>
      ))}
    </>
  );
}

function UserFormDialog({ user, orgs, onClose, onDone }: { user?: UserT; orgs: OrgOption[]; onClose: () => void; onDone: (u: UserT) => void }) {
  const { t } = useTranslation();
  const [base, setBase] = useState(user);
  const form = useForm(
    { name: user?.name ?? '', email: user?.email ?? '', homeOrganisationId: user?.homeOrganisationId ?? '', password: '' },
    {
      validate: (v) => ({
        name: v.name.trim() ? undefined : t('common.fieldRequired'),
        email: !v.email.trim() ? t('common.fieldRequired') : EMAIL_RE.test(v.email.trim()) ? undefined : t('common.invalidEmail'),
        homeOrganisationId: v.homeOrganisationId ? undefined : t('common.fieldRequired'),
        password: v.password && v.password.length < MIN_PASSWORD ? t('common.passwordTooShort', { min: MIN_PASSWORD }) : undefined,
      }),
      submit: (v) =>
        base
          ? userApi.update(base.id, { version: base.version, name: v.name.trim(), email: v.email.trim(), homeOrganisationId: v.homeOrganisationId })
          : userApi.create({ name: v.name.trim(), email: v.email.trim(), homeOrganisationId: v.homeOrganisationId, password: v.password || undefined }),
      onSuccess: onDone,
    },
  );
  const { values, set, err } = form;
  const homeMissing = base && !orgs.some((o) => o.org.id === base.homeOrganisationId);
  return (
    <FormDialog
      isOpen
      title={base ? t('users.editTitle', { name: user!.name }) : t('users.createTitle')}
      onClose={onClose}
      onSubmit={() => void form.handleSubmit()}
      submitLabel={base ? t('common.save') : t('common.create')}
      pending={form.submitting}
      error={form.error}
      onReload={
        base
          ? async () => {
              const fresh = await userApi.get(base.id);
              setBase(fresh);
              form.replace({ name: fresh.name, email: fresh.email, homeOrganisationId: fresh.homeOrganisationId });
            }
          : undefined
      }
    >
      {!base && <p className="muted">{t('users.createIntro')}</p>}
      <TextField label={t('users.name')} value={values.name} onChange={set('name')} error={err('name')} required maxLength={200} autoFocus autoComplete="off" />
      <TextField label={t('users.email')} type="email" value={values.email} onChange={set('email')} error={err('email')} required maxLength={254} autoComplete="off" />
      <SelectField label={t('users.home')} value={values.homeOrganisationId} onChange={set('homeOrganisationId')} error={err('homeOrganisationId')} required>
        <option value="">{t('common.none')}</option>
        {homeMissing && <option value={base.homeOrganisationId}>{base.homeOrganisationName}</option>}
        <OrgOptions orgs={orgs} />
      </SelectField>
      {!base && (
        <TextField
          label={t('users.password')}
          type="password"
          value={values.password}
          onChange={set('password')}
          error={err('password')}
          autoComplete="new-password"
          description={t('common.passwordTooShort', { min: MIN_PASSWORD })}
        />
      )}
    </FormDialog>
  );
}

function GrantDialog({ user, orgs, onClose, onDone }: { user: UserT; orgs: OrgOption[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [organisationId, setOrganisationId] = useState('');
  const [role, setRole] = useState<Role>('reader');
  const [includeSubtree, setIncludeSubtree] = useState(false);
  const [local, setLocal] = useState<string | undefined>();
  const mutation = useMutation({ mutationFn: () => userApi.grant(user.id, { organisationId, role, includeSubtree }), onSuccess: onDone });
  const serverErr = mutation.error instanceof ApiError ? mutation.error : undefined;
  return (
    <FormDialog
      isOpen
      title={t('users.grantTitle', { name: user.name })}
      onClose={onClose}
      onSubmit={() => {
        setLocal(organisationId ? undefined : t('common.fieldRequired'));
        if (organisationId) mutation.mutate();
      }}
      submitLabel={t('users.grant')}
      pending={mutation.isPending}
      error={mutation.error}
    >
      <SelectField label={t('users.role')} value={role} onChange={(e) => setRole(e.target.value as Role)} error={serverErr?.field('role')} required autoFocus>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('users.organisation')}
        value={organisationId}
        onChange={(e) => setOrganisationId(e.target.value)}
        error={local ?? serverErr?.field('organisationId')}
        required
      >
        <option value="">{t('common.none')}</option>
        <OrgOptions orgs={orgs} />
      </SelectField>
      <CheckboxField label={t('users.includeSubtree')} checked={includeSubtree} onChange={(e) => setIncludeSubtree(e.target.checked)} />
    </FormDialog>
  );
}

function ActiveDialog({ user, onClose, onDone }: { user: UserT; onClose: () => void; onDone: (u: UserT) => void }) {
  const { t } = useTranslation();
  const [base, setBase] = useState(user);
  const activate = !user.active;
  const mutation = useMutation({ mutationFn: () => userApi.update(base.id, { version: base.version, active: activate }), onSuccess: onDone });
  return (
    <ConfirmDialog
      isOpen
      title={t(activate ? 'users.activateTitle' : 'users.deactivateTitle', { name: user.name })}
      text={t(activate ? 'users.activateText' : 'users.deactivateText')}
      confirmLabel={t(activate ? 'users.activate' : 'users.deactivate')}
      tone={activate ? 'primary' : 'danger'}
      onClose={onClose}
      onConfirm={() => mutation.mutate()}
      pending={mutation.isPending}
      error={mutation.error}
      onReload={async () => {
        setBase(await userApi.get(base.id));
        mutation.reset();
      }}
    />
  );
}

function RevokeDialog({ user, grantId, text, onClose, onDone }: { user: UserT; grantId: string; text: string; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const mutation = useMutation({ mutationFn: () => userApi.revoke(user.id, grantId), onSuccess: onDone });
  return (
    <ConfirmDialog
      isOpen
      title={t('users.revokeTitle')}
      text={text}
      confirmLabel={t('users.revoke')}
      onClose={onClose}
      onConfirm={() => mutation.mutate()}
      pending={mutation.isPending}
      error={mutation.error}
    />
  );
}
