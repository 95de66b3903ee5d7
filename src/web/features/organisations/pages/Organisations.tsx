import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Tree, TreeItem, TreeItemContent, type Key, type Selection } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import { ORGANISATION_TYPES, type OrganisationType } from '../../../../shared/roles.ts';
import { ApiError } from '../../../api/client.ts';
import { holdsAtRoot, holds } from '../../auth/api.ts';
import { organisations as orgApi, type OrganisationT } from '../api.ts';
import { CheckboxField, SelectField, TextField } from '../../../components/Field.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { Empty, Notice, QueryState } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { formatDateTime } from '../../../format.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';
import { flatten, indent, indexOrgs, type OrgIndex } from '../tree.ts';

type Org = OrganisationT;

function subtreeIds(index: OrgIndex, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const cur = stack.pop()!;
    out.add(cur);
    for (const c of index.children.get(cur) ?? []) stack.push(c.id);
  }
  return out;
}

type DialogState =
  | { kind: 'create'; parentId: string | null }
  | { kind: 'edit'; org: Org }
  | { kind: 'move'; org: Org }
  | { kind: 'active'; org: Org }
  | null;

export function OrganisationsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [includeInactive, setIncludeInactive] = useState(false);
  const query = useQuery({ queryKey: ['organisations', includeInactive], queryFn: () => orgApi.list(includeInactive) });
  const index = useMemo(() => indexOrgs(query.data?.items ?? []), [query.data]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<Key>>(new Set());
  const [dialog, setDialog] = useState<DialogState>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Open the top level once the tree has loaded.
  useEffect(() => {
    if (query.data && expanded.size === 0) setExpanded(new Set(index.roots.filter((r) => index.children.has(r.id)).map((r) => r.id)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query.data]);

  if (!holds(me, 'organisations.read')) return <Forbidden />;

  const selected = selectedId ? index.byId.get(selectedId) : undefined;
  const canCreateTop = holdsAtRoot(me, 'organisations.create');
  const canCreateAny = canCreateTop || (query.data?.items ?? []).some((o) => o.allowedActions.includes('organisations.create'));

  const done = (message: string, org?: Org) => {
    setDialog(null);
    setNotice(message);
    if (org) {
      setSelectedId(org.id);
      if (org.parentId) setExpanded((e) => new Set([...e, org.parentId!]));
    }
    void qc.invalidateQueries({ queryKey: ['organisations'] });
  };

  const renderNode = (o: Org): React.ReactNode => {
    const kids = index.children.get(o.id) ?? [];
    const label = `${o.name}${o.shortName ? ` (${o.shortName})` : ''}${o.active ? '' : ` ${t('organisations.inactiveMark')}`}`;
    return (
      <TreeItem key={o.id} id={o.id} textValue={label} aria-label={label} className="tree-item">
        <TreeItemContent>
          {({ hasChildItems }) => (
            <div className="tree-row">
              {hasChildItems ? (
                <Button slot="chevron" className="chevron">
                  <span aria-hidden="true">›</span>
                </Button>
              ) : (
                <span className="chevron-spacer" />
              )}
              <span className={o.active ? '' : 'inactive'}>
                {o.name}
                {o.shortName ? ` (${o.shortName})` : ''}
                {!o.active && ` ${t('organisations.inactiveMark')}`}
              </span>
              <span className="muted small tree-type">{t(`orgType.${o.type}`)}</span>
            </div>
          )}
        </TreeItemContent>
        {kids.map(renderNode)}
      </TreeItem>
    );
  };

  const allParents = [...index.children.keys()].filter((k): k is string => k !== null);

  return (
    <>
      <PageTitle title={t('organisations.title')}>{t('organisations.title')}</PageTitle>
      <p className="lead">{t('organisations.intro')}</p>
      <Notice message={notice} />
      <div className="toolbar">
        {canCreateAny && (
          <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: 'create', parentId: selected?.active ? selected.id : null })}>
            {t('organisations.create')}
          </button>
        )}
        <button type="button" className="btn" onClick={() => setExpanded(new Set(allParents))}>
          {t('organisations.expandAll')}
        </button>
        <button type="button" className="btn" onClick={() => setExpanded(new Set())}>
          {t('organisations.collapseAll')}
        </button>
        <CheckboxField label={t('common.includeInactive')} checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
      </div>
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data &&
        (query.data.items.length === 0 ? (
          <Empty>{t('organisations.empty')}</Empty>
        ) : (
          <div className="split">
            <div className="tree-wrap">
              <Tree
                aria-label={t('organisations.tree')}
                className="tree"
                selectionMode="single"
                selectionBehavior="replace"
                selectedKeys={selectedId ? [selectedId] : []}
                onSelectionChange={(keys: Selection) => {
                  if (keys === 'all') return;
                  const [first] = [...keys];
                  if (first !== undefined) setSelectedId(String(first));
                }}
                expandedKeys={expanded}
                onExpandedChange={setExpanded}
              >
                {index.roots.map(renderNode)}
              </Tree>
            </div>
            <section className="card details" aria-labelledby="org-details-h">
              {selected ? (
                <OrgDetails org={selected} index={index} onAction={setDialog} canCreateTop={canCreateTop} />
              ) : (
                <>
                  <h2 id="org-details-h">{t('organisations.details')}</h2>
                  <p className="muted">{t('organisations.select')}</p>
                </>
              )}
            </section>
          </div>
        ))}

      {dialog?.kind === 'create' && (
        <OrgFormDialog
          mode="create"
          index={index}
          initialParent={dialog.parentId}
          canCreateTop={canCreateTop}
          onClose={() => setDialog(null)}
          onDone={(o) => done(t('organisations.created', { name: o.name }), o)}
        />
      )}
      {dialog?.kind === 'edit' && (
        <OrgFormDialog
          mode="edit"
          org={dialog.org}
          index={index}
          canCreateTop={canCreateTop}
          onClose={() => setDialog(null)}
          onDone={(o) => done(t('organisations.updated'), o)}
        />
      )}
      {dialog?.kind === 'move' && (
        <MoveDialog
          org={dialog.org}
          index={index}
          canCreateTop={canCreateTop}
          onClose={() => setDialog(null)}
          onDone={(o) => done(t('organisations.moved', { name: o.name }), o)}
        />
      )}
      {dialog?.kind === 'active' && (
        <ActiveDialog
          org={dialog.org}
          onClose={() => setDialog(null)}
          onDone={(o) => {
            if (!o.active && !includeInactive) setSelectedId(null);
            done(t(o.active ? 'organisations.activated' : 'organisations.deactivated', { name: o.name }));
          }}
        />
      )}
    </>
  );
}

function OrgDetails({
  org,
  index,
  onAction,
  canCreateTop,
}: {
  org: Org;
  index: OrgIndex;
  onAction: (d: DialogState) => void;
  canCreateTop: boolean;
}) {
  const { t } = useTranslation();
  const canUpdate = org.allowedActions.includes('organisations.update');
  const canCreateChild = org.active && org.allowedActions.includes('organisations.create');
  const parent = org.parentId ? index.byId.get(org.parentId) : undefined;
  return (
    <>
      <h2 id="org-details-h">{org.name}</h2>
      <dl className="dl">
        <dt>{t('organisations.type')}</dt>
        <dd>{t(`orgType.${org.type}`)}</dd>
        <dt>{t('organisations.shortName')}</dt>
        <dd>{org.shortName ?? t('common.none')}</dd>
        <dt>{t('organisations.email')}</dt>
        <dd>{org.email ?? t('common.none')}</dd>
        <dt>{t('organisations.parent')}</dt>
        <dd>{parent?.name ?? t('common.none')}</dd>
        <dt>{t('common.status')}</dt>
        <dd>{org.active ? t('common.active') : t('common.inactive')}</dd>
        <dt>{t('organisations.updatedAt')}</dt>
        <dd>{formatDateTime(org.updatedAt)}</dd>
      </dl>
      <div className="button-row">
        {canUpdate && (
          <button type="button" className="btn" onClick={() => onAction({ kind: 'edit', org })}>
            {t('common.edit')}
          </button>
        )}
        {canCreateChild && (
          <button type="button" className="btn" onClick={() => onAction({ kind: 'create', parentId: org.id })}>
            {t('organisations.createChild')}
          </button>
        )}
        {canUpdate && (canCreateTop || [...index.byId.values()].some((o) => o.allowedActions.includes('organisations.create'))) && (
          <button type="button" className="btn" onClick={() => onAction({ kind: 'move', org })}>
            {t('organisations.move')}
          </button>
        )}
        {canUpdate && (
          <button type="button" className={org.active ? 'btn btn-danger' : 'btn'} onClick={() => onAction({ kind: 'active', org })}>
            {org.active ? t('organisations.deactivate') : t('organisations.activate')}
          </button>
        )}
      </div>
    </>
  );
}

/** Reload one organisation after a version conflict: the form starts again from what is stored now. */
function useReloadOrg() {
  const qc = useQueryClient();
  return async (id: string) => {
    await qc.invalidateQueries({ queryKey: ['organisations'] });
    const fresh = await orgApi.list(true);
    return fresh.items.find((o) => o.id === id);
  };
}

function OrgFormDialog(
  props: {
    index: OrgIndex;
    canCreateTop: boolean;
    onClose: () => void;
    onDone: (o: Org) => void;
  } & ({ mode: 'create'; initialParent: string | null; org?: undefined } | { mode: 'edit'; org: Org; initialParent?: undefined }),
) {
  const { t } = useTranslation();
  const reload = useReloadOrg();
  const [base, setBase] = useState<Org | undefined>(props.org);
  const form = useForm(
    {
      name: props.org?.name ?? '',
      shortName: props.org?.shortName ?? '',
      email: props.org?.email ?? '',
      type: (props.org?.type ?? 'unit') as OrganisationType,
      parentId: props.mode === 'create' ? (props.initialParent ?? '') : '',
    },
    {
      validate: (v) => ({
        name: v.name.trim() ? undefined : t('common.fieldRequired'),
        email: v.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim()) ? t('common.invalidEmail') : undefined,
        parentId: props.mode === 'create' && !v.parentId && !props.canCreateTop ? t('common.fieldRequired') : undefined,
      }),
      submit: (v) => {
        const common = { name: v.name.trim(), shortName: v.shortName.trim() || null, email: v.email.trim() || null, type: v.type };
        return props.mode === 'create' ? orgApi.create({ ...common, parentId: v.parentId || null }) : orgApi.update(base!.id, { ...common, version: base!.version });
      },
      onSuccess: props.onDone,
    },
  );
  const { values, set, err } = form;
  const parents = flatten(props.index).filter(({ org }) => org.active && org.allowedActions.includes('organisations.create'));

  return (
    <FormDialog
      isOpen
      title={props.mode === 'create' ? t('organisations.createTitle') : t('organisations.editTitle', { name: props.org.name })}
      onClose={props.onClose}
      onSubmit={() => void form.handleSubmit()}
      submitLabel={props.mode === 'create' ? t('common.create') : t('common.save')}
      pending={form.submitting}
      error={form.error}
      onReload={
        base
          ? async () => {
              const fresh = await reload(base.id);
              if (!fresh) return;
              setBase(fresh);
              form.replace({ name: fresh.name, shortName: fresh.shortName ?? '', email: fresh.email ?? '', type: fresh.type });
            }
          : undefined
      }
    >
      {props.mode === 'create' && (
        <SelectField label={t('organisations.parent')} value={values.parentId} onChange={set('parentId')} error={err('parentId')} required={!props.canCreateTop}>
          {props.canCreateTop ? <option value="">{t('organisations.noParent')}</option> : <option value="">{t('common.none')}</option>}
          {parents.map(({ org, depth }) => (
            <option key={org.id} value={org.id}>
              {indent(depth) + org.name}
            </option>
          ))}
        </SelectField>
      )}
      <TextField label={t('organisations.name')} value={values.name} onChange={set('name')} error={err('name')} required maxLength={200} autoFocus />
      <EnumSelect label={t('organisations.type')} value={values.type} onChange={set('type')} error={err('type')} required values={ORGANISATION_TYPES} labelPrefix="orgType" />
      <TextField label={t('organisations.shortName')} value={values.shortName} onChange={set('shortName')} error={err('shortName')} maxLength={40} />
      <TextField label={t('organisations.email')} type="email" value={values.email} onChange={set('email')} error={err('email')} maxLength={254} />
    </FormDialog>
  );
}

function MoveDialog({ org, index, canCreateTop, onClose, onDone }: { org: Org; index: OrgIndex; canCreateTop: boolean; onClose: () => void; onDone: (o: Org) => void }) {
  const { t } = useTranslation();
  const reload = useReloadOrg();
  const [base, setBase] = useState(org);
  const [parentId, setParentId] = useState(org.parentId ?? '');
  const excluded = subtreeIds(index, org.id);
  const options = flatten(index).filter(({ org: o }) => !excluded.has(o.id) && o.active && o.allowedActions.includes('organisations.create'));
  const mutation = useMutation({ mutationFn: () => orgApi.move(base.id, base.version, parentId || null), onSuccess: onDone });
  const fieldErr = mutation.error instanceof ApiError ? mutation.error.field('parentId') : undefined;
  return (
    <FormDialog
      isOpen
      title={t('organisations.moveTitle', { name: org.name })}
      onClose={onClose}
      onSubmit={() => mutation.mutate()}
      submitLabel={t('organisations.move')}
      pending={mutation.isPending}
      error={mutation.error}
      onReload={async () => {
        const fresh = await reload(base.id);
        if (fresh) setBase(fresh);
        mutation.reset();
      }}
    >
      <SelectField label={t('organisations.newParent')} value={parentId} onChange={(e) => setParentId(e.target.value)} error={fieldErr} autoFocus>
        {(canCreateTop || !org.parentId) && <option value="">{t('organisations.noParent')}</option>}
        {options.map(({ org: o, depth }) => (
          <option key={o.id} value={o.id}>
            {indent(depth) + o.name}
          </option>
        ))}
      </SelectField>
    </FormDialog>
  );
}

function ActiveDialog({ org, onClose, onDone }: { org: Org; onClose: () => void; onDone: (o: Org) => void }) {
  const { t } = useTranslation();
  const reload = useReloadOrg();
  const [base, setBase] = useState(org);
  const activate = !org.active;
  const mutation = useMutation({ mutationFn: () => orgApi.setActive(base.id, base.version, activate), onSuccess: onDone });
  return (
    <ConfirmDialog
      isOpen
      title={t(activate ? 'organisations.activateTitle' : 'organisations.deactivateTitle', { name: org.name })}
      text={t(activate ? 'organisations.activateText' : 'organisations.deactivateText')}
      confirmLabel={t(activate ? 'organisations.activate' : 'organisations.deactivate')}
      tone={activate ? 'primary' : 'danger'}
      onClose={onClose}
      onConfirm={() => mutation.mutate()}
      pending={mutation.isPending}
      error={mutation.error}
      onReload={async () => {
        const fresh = await reload(base.id);
        if (fresh) setBase(fresh);
        mutation.reset();
      }}
    />
  );
}
