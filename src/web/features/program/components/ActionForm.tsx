import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ACTION_STATUSES, SUB_AREAS } from '../../../../shared/schemas/program.ts';
import { ApiError } from '../../../api/client.ts';
import { planActions, type ActionInput, type ActionStatus, type PlanActionT, type SubArea } from '../api.ts';
import { FormDialog } from '../../../components/Dialogs.tsx';
import { CheckboxGroup, TextAreaField, TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { EnumSelect } from '../../../components/EnumSelect.tsx';
import { useOrgs } from '../../../orgs.ts';

interface FormState {
  title: string;
  description: string;
  responsibleOrganisationId: string;
  contributorIds: string[];
  contactPerson: string;
  startDate: string;
  endDate: string;
  status: ActionStatus;
  progress: string;
  weight: string;
  subAreas: SubArea[];
}

const fromAction = (a?: PlanActionT): FormState => ({
  title: a?.title ?? '',
  description: a?.description ?? '',
  responsibleOrganisationId: a?.responsibleOrganisationId ?? '',
  contributorIds: a?.contributorIds ?? [],
  contactPerson: a?.contactPerson ?? '',
  startDate: a?.startDate ?? '',
  endDate: a?.endDate ?? '',
  status: a?.status ?? 'not_started',
  progress: String(a?.progress ?? 0),
  weight: String(a?.weight ?? 1),
  subAreas: a?.subAreas ?? [],
});

/**
 * Create (goalId) or edit (action) a plan action. On a version conflict the dialog offers to reload
 * the stored action; the user's changes are then re-applied on top of the fresh version.
 */
export function ActionDialog({ goalId, goalLabel, action, onClose, onDone }: { goalId?: string; goalLabel?: string; action?: PlanActionT; onClose: () => void; onDone: (a: PlanActionT) => void }) {
  const { t } = useTranslation();
  const orgs = useOrgs();
  const [base, setBase] = useState(action);
  const [form, setForm] = useState<FormState>(fromAction(action));
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const body = (): ActionInput => ({
    goalId: base?.goalId ?? goalId!,
    title: form.title.trim(),
    description: form.description.trim() || null,
    responsibleOrganisationId: form.responsibleOrganisationId,
    contributorIds: form.contributorIds,
    contactPerson: form.contactPerson.trim() || null,
    startDate: form.startDate || null,
    endDate: form.endDate || null,
    status: form.status,
    progress: Number(form.progress),
    weight: Number(form.weight.replace(',', '.')),
    subAreas: form.subAreas,
  });
  const mutation = useMutation({
    mutationFn: () => (base ? planActions.update(base.id, { ...body(), version: base.version }) : planActions.create(body())),
    onSuccess: onDone,
  });
  const serverErr = mutation.error instanceof ApiError ? mutation.error : undefined;
  const err = (f: string) => local[f] ?? serverErr?.field(f);
  const set = (k: keyof FormState) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = () => {
    const progress = Number(form.progress);
    const weight = Number(form.weight.replace(',', '.'));
    const errs: Record<string, string | undefined> = {
      title: form.title.trim() ? undefined : t('common.fieldRequired'),
      responsibleOrganisationId: form.responsibleOrganisationId ? undefined : t('common.fieldRequired'),
      progress: form.progress.trim() !== '' && Number.isInteger(progress) && progress >= 0 && progress <= 100 ? undefined : t('action.progressRange'),
      weight: Number.isFinite(weight) && weight > 0 && weight <= 1000 ? undefined : t('action.weightRange'),
      endDate: form.startDate && form.endDate && form.endDate < form.startDate ? t('action.endBeforeStart') : undefined,
    };
    setLocal(errs);
    if (Object.values(errs).some(Boolean)) return;
    mutation.mutate();
  };
  return (
    <FormDialog
      isOpen
      title={base ? t('action.editTitle', { title: base.title }) : goalLabel ? t('program.addActionTo', { number: goalLabel }) : t('program.addAction')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={base ? t('common.save') : t('common.create')}
      pending={mutation.isPending}
      error={mutation.error}
      onReload={
        base
          ? async () => {
              const fresh = await planActions.get(base.id);
              setBase(fresh);
              mutation.reset();
            }
          : undefined
      }
    >
      <TextField label={t('action.name')} value={form.title} onChange={set('title')} error={err('title')} required maxLength={300} autoFocus />
      <TextAreaField label={t('action.description')} value={form.description} onChange={set('description')} error={err('description')} maxLength={5000} />
      <OrganisationSelect label={t('action.responsible')} value={form.responsibleOrganisationId} onChange={set('responsibleOrganisationId')} error={err('responsibleOrganisationId')} required emptyLabel={t('common.none')} />
      <CheckboxGroup
        legend={t('action.contributors')}
        scroll
        options={orgs.ordered.map(({ org }) => ({ value: org.id, label: org.name }))}
        value={form.contributorIds}
        onChange={(contributorIds) => setForm((f) => ({ ...f, contributorIds }))}
        error={err('contributorIds')}
      />
      <TextField label={t('action.contact')} value={form.contactPerson} onChange={set('contactPerson')} error={err('contactPerson')} maxLength={200} />
      <div className="grid-2">
        <TextField label={t('action.startDate')} type="date" value={form.startDate} onChange={set('startDate')} error={err('startDate')} />
        <TextField label={t('action.endDate')} type="date" value={form.endDate} onChange={set('endDate')} error={err('endDate')} />
      </div>
      <EnumSelect label={t('action.status')} value={form.status} onChange={set('status')} error={err('status')} values={ACTION_STATUSES} labelPrefix="actionStatus" />
      <div className="grid-2">
        <TextField label={t('action.progress')} type="number" inputMode="numeric" min={0} max={100} step={1} value={form.progress} onChange={set('progress')} error={err('progress')} />
        <TextField label={t('action.weight')} type="number" inputMode="decimal" min={0} step="any" value={form.weight} onChange={set('weight')} error={err('weight')} />
      </div>
      <CheckboxGroup
        legend={t('action.subAreas')}
        options={SUB_AREAS.map((s) => ({ value: s, label: t(`subArea.${s}`) }))}
        value={form.subAreas}
        onChange={(v) => setForm((f) => ({ ...f, subAreas: v as SubArea[] }))}
        error={err('subAreas')}
      />
    </FormDialog>
  );
}
