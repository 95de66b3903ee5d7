import { useState, type FormEvent } from 'react';
import { useParams } from '@tanstack/react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { remissApi, type RemissReplyInput } from '../api.ts';
import { ErrorMessage, Loading } from '../../../components/Feedback.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { formatDateTime } from '../../../format.ts';
import { ReplyFields, useReplyCheck } from './Remiss.tsx';

/**
 * The public reply page behind a personal link (/remissvar/:token): no account needed. Shows the
 * round's letter and the recipient's own name, and takes one reply. A link that is wrong, expired,
 * revoked or used says so, in the words of the server.
 */
export function RemissReplyPage() {
  const { t } = useTranslation();
  const { token } = useParams({ from: '/remissvar/$token' });
  const view = useQuery({ queryKey: ['remissvar', token], queryFn: () => remissApi.publicView(token), retry: false, staleTime: Infinity });
  const [value, setValue] = useState<RemissReplyInput>({ kind: 'decision' });
  const [file, setFile] = useState<File | null>(null);
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const check = useReplyCheck();
  const submit = useMutation({ mutationFn: () => remissApi.publicReply(token, value, file) });
  const server = submit.error instanceof ApiError ? submit.error : undefined;
  const errors = Object.fromEntries(['decidingBody', 'decidedOn', 'paragraph', 'text', 'file'].map((f) => [f, local[f] ?? server?.field(f)]));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs = check(value, file);
    setLocal(errs ?? {});
    if (!errs) submit.mutate();
  };

  if (view.isPending)
    return (
      <div className="narrow">
        <PageTitle title={t('remissReply.title')}>{t('remissReply.title')}</PageTitle>
        <Loading />
      </div>
    );
  if (view.error)
    return (
      <div className="narrow">
        <PageTitle title={t('remissReply.unusable')}>{t('remissReply.unusable')}</PageTitle>
        <ErrorMessage error={view.error} />
      </div>
    );
  const r = view.data!;
  if (submit.isSuccess)
    return (
      <div className="narrow">
        <PageTitle title={t('remissReply.title')}>{t('remissReply.title')}</PageTitle>
        <div className="alert alert-ok" role="status">
          <p>{t('remissReply.done', { name: submit.data.recipientName, date: submit.data.receivedOn })}</p>
        </div>
        <p>{t('remissReply.doneHelp')}</p>
      </div>
    );
  return (
    <div className="narrow">
      <PageTitle title={t('remissReply.title')}>{r.title}</PageTitle>
      <p className="lead">{t('remissReply.to', { name: r.recipientName })}</p>
      <p>{t('remissReply.replyBy', { date: r.replyBy, expires: formatDateTime(r.expiresAt) })}</p>
      <section aria-labelledby="letter-h" className="card">
        <h2 id="letter-h">{t('remissReply.letter')}</h2>
        <p className="prewrap">{r.letter}</p>
        {r.letterFile && (
          <p>
            <a href={remissApi.publicLetterUrl(token)} download={r.letterFile.filename}>
              {t('remissReply.downloadLetter', { name: r.letterFile.filename })}
            </a>
          </p>
        )}
      </section>
      <section aria-labelledby="form-h">
        <h2 id="form-h">{t('remissReply.form')}</h2>
        <form onSubmit={onSubmit} noValidate className="card">
          <ReplyFields value={value} onChange={setValue} file={file} onFile={setFile} errors={errors} defaultBody={r.recipientName} />
          <ErrorMessage error={submit.error} />
          <button type="submit" className="btn btn-primary" disabled={submit.isPending}>
            {t('remissReply.submit')}
          </button>
        </form>
        <p className="small muted">{t('remissReply.privacy')}</p>
      </section>
    </div>
  );
}
