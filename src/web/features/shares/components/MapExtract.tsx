import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import type { MapExtractT } from '../../../../shared/schemas/lagesbild.ts';
import { AppDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { TextField } from '../../../components/Field.tsx';
import { sharesApi } from '../api.ts';
import { SharesSection } from './Shares.tsx';

/** What the extract takes: the map's current box and the page's filters (category and period). */
export interface ExtractSelection {
  bbox: () => string | null;
  categoryId?: string;
  from?: string;
  to?: string;
}

/**
 * "Dela kartutsnitt": makes a map extract of the open incidents in the map's view and the chosen category and
 * period (a snapshot: category, time and position, never restricted or secret incidents), then shares it with
 * a partner in the same dialog. For those who share on the municipality's behalf.
 */
export function ShareMapExtractButton({ selection }: { selection: ExtractSelection }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn no-print" onClick={() => setOpen(true)}>
        {t('shares.extract.button')}
      </button>
      {open && <ExtractDialog selection={selection} onClose={() => setOpen(false)} />}
    </>
  );
}

function ExtractDialog({ selection, onClose }: { selection: ExtractSelection; onClose: () => void }) {
  const { t } = useTranslation();
  const [made, setMade] = useState<MapExtractT | null>(null);
  const form = useForm(
    { title: '' },
    {
      validate: (v) => ({ title: v.title.trim() ? undefined : t('common.fieldRequired') }),
      submit: (v) => sharesApi.createMapExtract({ title: v.title.trim(), bbox: selection.bbox() ?? '', categoryId: selection.categoryId, from: selection.from, to: selection.to }),
      onSuccess: setMade,
    },
  );
  if (made)
    return (
      <AppDialog isOpen title={t('shares.extract.madeTitle', { title: made.title })} onClose={onClose}>
        <p role="status">{t('shares.extract.made', { count: made.points.length })}</p>
        <SharesSection recordType="map_extract" recordId={made.id} embedded />
        <div className="button-row">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </AppDialog>
    );
  return (
    <FormDialog
      isOpen
      title={t('shares.extract.title')}
      submitLabel={t('shares.extract.make')}
      onClose={onClose}
      pending={form.submitting}
      error={form.err('title') ? null : form.error}
      onSubmit={() => void form.handleSubmit().then(() => document.getElementById('extract-title')?.focus())}
    >
      <p>{t('shares.extract.help')}</p>
      <TextField id="extract-title" label={t('shares.extract.name')} value={form.values.title} onChange={form.set('title')} error={form.err('title')} required maxLength={200} />
    </FormDialog>
  );
}
