import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useForm } from '../../../components/useForm.ts';
import { ApiError } from '../../../api/client.ts';
import { AppDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { ErrorMessage, Notice, QueryState } from '../../../components/Feedback.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { formatDateTime, todayInStockholm } from '../../../format.ts';
import { useOrgs } from '../../../orgs.ts';
import { holds } from '../../auth/api.ts';
import { useMe } from '../../../session.ts';
import { sharesApi, type ShareRecordType, type ShareT } from '../api.ts';

/** YYYY-MM-DD a number of days after `iso`. */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "Delningar": the shares of one record, a button to share it with a partner, revoke and comments. Only for shares.manage. */
export function SharesSection({ recordType, recordId, title, embedded }: { recordType: ShareRecordType; recordId: string; title?: string; embedded?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = holds(me, 'shares.manage');
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const query = useQuery({ queryKey: ['shares', { recordType, recordId }], queryFn: () => sharesApi.list({ recordType, recordId }), enabled: allowed });
  if (!allowed) return null;
  const heading = title ? `${t('shares.section')}: ${title}` : t('shares.section');
  const body = (
    <>
      <p className="small">{t('shares.intro')}</p>
      <Notice message={notice} />
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data && (query.data.items.length === 0 ? <p>{t('shares.none')}</p> : <ShareTable items={query.data.items} onDone={setNotice} />)}
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {t('shares.share')}
      </button>
      {open && <ShareDialog recordType={recordType} recordId={recordId} onClose={() => setOpen(false)} onDone={setNotice} />}
    </>
  );
  if (embedded) return body;
  return (
    <section className="card" aria-label={heading}>
      <h2>{heading}</h2>
      {body}
    </section>
  );
}

function ShareDialog({ recordType, recordId, onClose, onDone }: { recordType: ShareRecordType; recordId: string; onClose: () => void; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const orgs = useOrgs();
  const partners = orgs.ordered.filter((o) => o.org.type === 'partner');
  const today = todayInStockholm();
  const form = useForm(
    { partnerOrganisationId: '', endsOn: addDays(today, 7), reason: '' },
    {
      validate: (v) => ({
        partnerOrganisationId: v.partnerOrganisationId ? undefined : t('common.fieldRequired'),
        endsOn: !v.endsOn ? t('common.fieldRequired') : v.endsOn < today ? t('shares.endsOnPast') : undefined,
        reason: v.reason.trim() ? undefined : t('common.fieldRequired'),
      }),
      submit: (v) => sharesApi.create({ recordType, recordId, ...v, reason: v.reason.trim() }),
      onSuccess: (s) => {
        void qc.invalidateQueries({ queryKey: ['shares'] });
        onDone(t('shares.created', { partner: s.partnerOrganisation.name, date: s.endsOn }));
        onClose();
      },
    },
  );
  const { values, set, err } = form;
  return (
    <FormDialog title={t('shares.shareTitle')} isOpen onClose={onClose} onSubmit={() => void form.handleSubmit()} submitLabel={t('shares.share')} pending={form.submitting} error={form.error}>
      <SelectField label={t('shares.partner')} value={values.partnerOrganisationId} onChange={set('partnerOrganisationId')} error={err('partnerOrganisationId')} required>
        <option value="">{t('shares.choosePartner')}</option>
        {partners.map((o) => (
          <option key={o.org.id} value={o.org.id}>
            {o.org.name}
          </option>
        ))}
      </SelectField>
      <TextField label={t('shares.endsOn')} type="date" min={today} value={values.endsOn} onChange={set('endsOn')} error={err('endsOn')} required />
      <TextAreaField label={t('shares.reason')} value={values.reason} onChange={set('reason')} error={err('reason')} required />
    </FormDialog>
  );
}

/** Shares as a table: record (optional), partner, until, status, comments and revoke. */
export function ShareTable({ items, showRecord, onDone }: { items: ShareT[]; showRecord?: boolean; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const [revoking, setRevoking] = useState<ShareT | null>(null);
  const [commenting, setCommenting] = useState<ShareT | null>(null);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('shares.section')}>
      <table className="table">
        <caption className="visually-hidden">{t('shares.section')}</caption>
        <thead>
          <tr>
            {showRecord && <th scope="col">{t('shares.record')}</th>}
            <th scope="col">{t('shares.partner')}</th>
            <th scope="col">{t('shares.endsOn')}</th>
            <th scope="col">{t('shares.status')}</th>
            <th scope="col">{t('shares.comments')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('shares.revoke')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id}>
              {showRecord && (
                <td>
                  <span className="block small">{t(`shares.recordType.${s.recordType}`)}</span>
                  {s.recordTitle}
                </td>
              )}
              <td>
                {s.partnerOrganisation.name}
                <span className="block small">{t('shares.sharedByLine', { name: s.createdBy.name, date: formatDateTime(s.createdAt) })}</span>
                <span className="block small">{t('shares.sharedReason', { reason: s.reason })}</span>
              </td>
              <td className="nowrap">{s.endsOn}</td>
              <td>
                {t(`shares.statusValue.${s.status}`)}
                {s.revokedAt && <span className="block small">{t('shares.revokedBy', { date: formatDateTime(s.revokedAt), name: s.revokedBy?.name ?? '–', reason: s.revokeReason ?? '' })}</span>}
              </td>
              <td>
                <button type="button" className="btn btn-small" onClick={() => setCommenting(s)}>
                  {t('shares.commentCount', { count: s.commentCount })}
                </button>
              </td>
              <td>
                {s.status === 'active' && (
                  <button type="button" className="btn btn-small btn-danger" onClick={() => setRevoking(s)} aria-label={`${t('shares.revoke')}: ${s.partnerOrganisation.name}`}>
                    {t('shares.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {revoking && <RevokeDialog share={revoking} onClose={() => setRevoking(null)} onDone={onDone} />}
      {commenting && <CommentsDialog share={commenting} onClose={() => setCommenting(null)} />}
    </div>
  );
}

function RevokeDialog({ share, onClose, onDone }: { share: ShareT; onClose: () => void; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const save = useMutation({
    mutationFn: () => sharesApi.revoke(share.id, reason.trim(), share.version),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['shares'] });
      onDone(t('shares.revoked'));
      onClose();
    },
    onError: () => setConfirming(false),
  });
  const apiErr = save.error instanceof ApiError ? save.error : undefined;
  const title = t('shares.revokeTitle', { partner: share.partnerOrganisation.name });
  return (
    <AppDialog title={title} isOpen onClose={onClose} role={confirming ? 'alertdialog' : 'dialog'}>
      {confirming ? (
        <>
          <p>{t('shares.confirmRevokeText')}</p>
          <div className="button-row">
            <button type="button" className="btn btn-danger" onClick={() => save.mutate()} disabled={save.isPending}>
              {t('shares.confirmRevoke')}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)} autoFocus>
              {t('common.cancel')}
            </button>
          </div>
        </>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const problem = reason.trim() ? undefined : t('common.fieldRequired');
            setLocal(problem);
            if (!problem) {
              save.reset();
              setConfirming(true);
            }
          }}
        >
          <TextAreaField label={t('shares.revokeReason')} value={reason} onChange={(e) => setReason(e.target.value)} error={local ?? apiErr?.field('reason')} required />
          <ErrorMessage error={save.error} onReload={() => void qc.invalidateQueries({ queryKey: ['shares'] })} />
          <div className="button-row">
            <button type="submit" className="btn btn-danger">
              {t('shares.revoke')}
            </button>
            <button type="button" className="btn" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </AppDialog>
  );
}

function CommentsDialog({ share, onClose }: { share: ShareT; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['shares', share.id, 'comments'], queryFn: () => sharesApi.comments(share.id) });
  const send = async (text: string) => {
    const res = await sharesApi.comment(share.id, text);
    qc.setQueryData(['shares', share.id, 'comments'], res);
    void qc.invalidateQueries({ queryKey: ['shares'] });
  };
  return (
    <AppDialog title={`${t('shares.comments')}: ${share.partnerOrganisation.name}`} isOpen onClose={onClose}>
      <QueryState isPending={query.isPending} error={query.error} />
      {query.data && <CommentList items={query.data.items} />}
      <CommentForm onSend={send} />
      <div className="button-row">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </AppDialog>
  );
}

export function CommentList({ items }: { items: { id: string; author: { name: string; organisation: string | null }; text: string; createdAt: string }[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <p>{t('shares.noComments')}</p>;
  return (
    <ul className="plain-list comments">
      {items.map((c) => (
        <li key={c.id}>
          <p className="small">
            {c.author.name}
            {c.author.organisation ? `, ${c.author.organisation}` : ''} · {formatDateTime(c.createdAt)}
          </p>
          <p className="prewrap">{c.text}</p>
        </li>
      ))}
    </ul>
  );
}

/** A comment box; errors from the API (the share ended, an empty text) show under it. */
export function CommentForm({ onSend }: { onSend: (text: string) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => onSend(text.trim()),
    onSuccess: () => {
      setText('');
      setNotice(t('shares.commented'));
    },
  });
  const apiErr = save.error instanceof ApiError ? save.error : undefined;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const problem = text.trim() ? undefined : t('common.fieldRequired');
        setLocal(problem);
        if (!problem) save.mutate();
      }}
    >
      <TextAreaField label={t('shares.comment')} value={text} onChange={(e) => setText(e.target.value)} error={local ?? apiErr?.field('text')} required />
      <ErrorMessage error={apiErr?.field('text') ? undefined : save.error} />
      <Notice message={notice} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {t('shares.addComment')}
        </button>
      </div>
    </form>
  );
}

/** A small "Delningar" button that opens the shares of one record in a dialog (for rows of a table). */
export function SharesButton({ recordType, recordId, title }: { recordType: ShareRecordType; recordId: string; title: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const [open, setOpen] = useState(false);
  if (!holds(me, 'shares.manage')) return null;
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)} aria-label={`${t('shares.section')}: ${title}`}>
        {t('shares.section')}
      </button>
      {open && (
        <AppDialog title={`${t('shares.section')}: ${title}`} isOpen onClose={() => setOpen(false)}>
          <SharesSection recordType={recordType} recordId={recordId} embedded />
          <div className="button-row">
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t('common.close')}
            </button>
          </div>
        </AppDialog>
      )}
    </>
  );
}
