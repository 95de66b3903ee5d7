import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { MapExtractT } from '../../../../shared/schemas/lagesbild.ts';
import { ApiError } from '../../../api/client.ts';
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
  const [title, setTitle] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const [made, setMade] = useState<MapExtractT | null>(null);
  const save = useMutation({
    mutationFn: () => sharesApi.createMapExtract({ title: title.trim(), bbox: selection.bbox() ?? '', categoryId: selection.categoryId, from: selection.from, to: selection.to }),
    onSuccess: setMade,
  });
  const apiErr = save.error instanceof ApiError ? save.error : undefined;
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
      pending={save.isPending}
      error={apiErr?.fields.some((f) => f.path.endsWith('title')) ? null : save.error}
      onSubmit={() => {
        const problem = title.trim() ? undefined : t('common.fieldRequired');
        setLocal(problem);
        if (problem) return document.getElementById('extract-title')?.focus();
        save.mutate();
      }}
    >
      <p>{t('shares.extract.help')}</p>
      <TextField id="extract-title" label={t('shares.extract.name')} value={title} onChange={(e) => setTitle(e.target.value)} error={local ?? apiErr?.field('title')} required maxLength={200} />
    </FormDialog>
  );
}
