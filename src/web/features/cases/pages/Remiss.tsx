import { useId, useState, type ReactNode } from 'react';
import { useParams } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { REMISS_REPLY_MAX_BYTES, REPLY_KINDS, type ReplyKind } from '../../../../shared/schemas/remiss.ts';
import { ApiError } from '../../../api/client.ts';
import { holds } from '../../auth/api.ts';
import { remissApi, type RemissIssuedLinkT, type RemissReplyInput, type RemissRoundT } from '../api.ts';
import { ConfirmDialog, FormDialog } from '../../../components/Dialogs.tsx';
import { ExportPanel } from '../../../components/ExportPanel.tsx';
import { Empty, Notice, QueryState } from '../../../components/Feedback.tsx';
import { SelectField, TextAreaField, TextField } from '../../../components/Field.tsx';
import { OrganisationSelect } from '../../../components/OrganisationSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { Breadcrumb } from '../../../components/Breadcrumb.tsx';
import { CaseTabs } from '../components/CaseTabs.tsx';
import { formatDateTime, todayInStockholm } from '../../../format.ts';
import { useOrgs } from '../../../orgs.ts';
import { useMe } from '../../../session.ts';
import { Forbidden } from '../../shell/pages/NotFound.tsx';

type Recipient = RemissRoundT['recipients'][number];
const roundsQuery = (caseId: string) => ({ queryKey: ['remiss', caseId], queryFn: () => remissApi.rounds(caseId) });
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Checks a chosen file before sending: PDF or Word, at most 10 MB (the server checks again, by content). */
export function useFileCheck() {
  const { t } = useTranslation();
  return (file: File | null) => {
    if (!file) return undefined;
    if (file.size > REMISS_REPLY_MAX_BYTES) return t('remiss.fileTooBig');
    if (!/\.(pdf|docx)$/i.test(file.name)) return t('remiss.fileWrongType');
    return undefined;
  };
}

/** The reply form's fields: kind, (for a decision) body, date and §, text and file. Shared by the dialog, the inbox and the public page. */
export function ReplyFields({
  value,
  onChange,
  file,
  onFile,
  errors,
  showReceivedOn,
  defaultBody,
}: {
  value: RemissReplyInput;
  onChange: (v: RemissReplyInput) => void;
  file: File | null;
  onFile: (f: File | null) => void;
  errors: Record<string, string | undefined>;
  showReceivedOn?: boolean;
  defaultBody?: string;
}) {
  const { t } = useTranslation();
  const fileId = useId();
  const set = (k: keyof RemissReplyInput, v: string) => onChange({ ...value, [k]: v });
  return (
    <>
      {showReceivedOn && <TextField label={t('remiss.receivedOn')} type="date" value={value.receivedOn ?? ''} onChange={(e) => set('receivedOn', e.target.value)} error={errors.receivedOn} required />}
      <fieldset className="fieldset">
        <legend>{t('remiss.replyKind')}</legend>
        <p className="field-desc">{t('remissReply.kindHelp')}</p>
        <div className="check-list">
          {REPLY_KINDS.map((k) => (
            <div key={k} className="field field-check">
              <input id={`${fileId}-${k}`} type="radio" name={`${fileId}-kind`} value={k} checked={value.kind === k} onChange={() => onChange({ ...value, kind: k as ReplyKind })} />
              <label htmlFor={`${fileId}-${k}`}>{t(`remiss.kind.${k}`)}</label>
            </div>
          ))}
        </div>
      </fieldset>
      {value.kind === 'decision' && (
        <>
          <TextField label={t('remiss.decidingBody')} value={value.decidingBody ?? ''} placeholder={defaultBody} onChange={(e) => set('decidingBody', e.target.value)} description={t('remiss.decidingBodyHelp')} error={errors.decidingBody} />
          <TextField label={t('remiss.decidedOn')} type="date" value={value.decidedOn ?? ''} onChange={(e) => set('decidedOn', e.target.value)} error={errors.decidedOn} required />
          <TextField label={t('remiss.paragraph')} inputMode="numeric" value={value.paragraph ?? ''} onChange={(e) => set('paragraph', e.target.value)} error={errors.paragraph} required />
        </>
      )}
      <TextAreaField label={t('remiss.text')} rows={6} value={value.text ?? ''} onChange={(e) => set('text', e.target.value)} error={errors.text} required={value.kind === 'reply'} />
      <div className="field">
        <label htmlFor={fileId}>{t('remiss.attachment')}</label>
        <input
          id={fileId}
          type="file"
          accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          aria-invalid={errors.file ? true : undefined}
          aria-describedby={errors.file ? `${fileId}-err` : undefined}
          onChange={(e) => onFile(e.target.files?.[0] ?? null)}
        />
        {file && <p className="field-desc">{t('remiss.file', { name: file.name })}</p>}
        {errors.file && (
          <p id={`${fileId}-err`} className="field-error">
            {errors.file}
          </p>
        )}
      </div>
    </>
  );
}

/** Client-side checks of a reply (the server checks the same, with the same Swedish messages). */
export function useReplyCheck() {
  const { t } = useTranslation();
  const checkFile = useFileCheck();
  return (v: RemissReplyInput, file: File | null, receivedOn?: boolean) => {
    const errs: Record<string, string | undefined> = {
      receivedOn: receivedOn && !v.receivedOn ? t('common.fieldRequired') : receivedOn && v.receivedOn! > todayInStockholm() ? t('common.dateInFuture') : undefined,
      decidedOn: v.kind === 'decision' && !v.decidedOn ? t('common.fieldRequired') : undefined,
      paragraph: v.kind === 'decision' && !/^\d{1,5}$/.test(v.paragraph ?? '') ? t('common.fieldRequired') : undefined,
      text: v.kind === 'reply' && !v.text?.trim() ? t('common.fieldRequired') : undefined,
      file: checkFile(file),
    };
    return Object.values(errs).some(Boolean) ? errs : null;
  };
}

export function ReplyDialog({ recipient, name, onClose, onDone, showReceivedOn = true }: { recipient: string; name: string; onClose: () => void; onDone: () => void; showReceivedOn?: boolean }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<RemissReplyInput>({ kind: 'decision', receivedOn: todayInStockholm() });
  const [file, setFile] = useState<File | null>(null);
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const check = useReplyCheck();
  const mutation = useMutation({ mutationFn: () => remissApi.reply(recipient, value, file), onSuccess: onDone });
  const server = mutation.error instanceof ApiError ? mutation.error : undefined;
  const errors = Object.fromEntries(['receivedOn', 'decidingBody', 'decidedOn', 'paragraph', 'text', 'file'].map((f) => [f, local[f] ?? server?.field(f)]));
  return (
    <FormDialog
      title={t('remiss.recordReplyFor', { name })}
      isOpen
      onClose={onClose}
      submitLabel={t('remiss.recordReply')}
      pending={mutation.isPending}
      error={mutation.error}
      onSubmit={() => {
        const errs = check(value, file, showReceivedOn);
        setLocal(errs ?? {});
        if (!errs) mutation.mutate();
      }}
    >
      <ReplyFields value={value} onChange={setValue} file={file} onFile={setFile} errors={errors} showReceivedOn={showReceivedOn} defaultBody={name} />
    </FormDialog>
  );
}

function IssuedLinks({ links }: { links: RemissIssuedLinkT[] }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<string | null>(null);
  if (!links.length) return null;
  return (
    <section className="card" aria-labelledby="links-h">
      <h2 id="links-h">{t('remiss.linksTitle')}</h2>
      <p className="field-desc">{t('remiss.linksHelp')}</p>
      <ul className="plain-list">
        {links.map((l) => (
          <li key={l.recipientId} className="field">
            <label htmlFor={`link-${l.recipientId}`}>{l.organisationName}</label>
            <div className="toolbar">
              <input id={`link-${l.recipientId}`} readOnly value={l.url} className="link-field" onFocus={(e) => e.currentTarget.select()} />
              <button
                type="button"
                className="btn btn-small"
                aria-label={t('remiss.copy', { name: l.organisationName })}
                onClick={() => {
                  void navigator.clipboard?.writeText(l.url).then(
                    () => setCopied(t('remiss.copied')),
                    () => setCopied(null),
                  );
                }}
              >
                {t('remiss.copyShort')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <Notice message={copied} />
    </section>
  );
}

interface PlannedRecipient {
  organisationId: string;
  name: string;
  external: boolean;
  replyBy: string;
  email: string;
}

function CreateRoundDialog({ caseId, decisions, onClose, onDone }: { caseId: string; decisions: { id: string; ref: string }[]; onClose: () => void; onDone: (r: RemissRoundT & { issuedLinks: RemissIssuedLinkT[] }) => void }) {
  const { t } = useTranslation();
  const orgs = useOrgs();
  const checkFile = useFileCheck();
  const [form, setForm] = useState({ title: '', letter: '', decisionId: decisions[0]?.id ?? '', sentOn: todayInStockholm() });
  const [recipients, setRecipients] = useState<PlannedRecipient[]>([]);
  const [pick, setPick] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const fileId = useId();
  const isExternal = (id: string) => {
    let cur = orgs.index.byId.get(id);
    const seen = new Set<string>();
    while (cur?.parentId && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = orgs.index.byId.get(cur.parentId);
    }
    return cur?.type !== 'municipality';
  };
  const mutation = useMutation({
    mutationFn: async () => {
      const round = await remissApi.create(caseId, {
        title: form.title.trim(),
        letter: form.letter.trim(),
        decisionId: form.decisionId || null,
        sentOn: form.sentOn,
        recipients: recipients.map((r) => ({ organisationId: r.organisationId, replyBy: r.replyBy, email: r.email.trim() || null })),
      });
      if (file) await remissApi.attachLetter(round.id, file);
      return round;
    },
    onSuccess: onDone,
  });
  const server = mutation.error instanceof ApiError ? mutation.error : undefined;
  const err = (f: string) => local[f] ?? server?.fields.find((x) => x.path.endsWith(f))?.message;
  const add = () => {
    const org = orgs.index.byId.get(pick);
    if (!org || recipients.some((r) => r.organisationId === pick)) return;
    const last = recipients[recipients.length - 1]?.replyBy ?? addDays(todayInStockholm(), 30);
    setRecipients([...recipients, { organisationId: org.id, name: org.name, external: isExternal(org.id), replyBy: last, email: org.email ?? '' }]);
    setPick('');
  };
  const update = (i: number, patch: Partial<PlannedRecipient>) => setRecipients(recipients.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = () => {
    const errs: Record<string, string | undefined> = {
      title: form.title.trim() ? undefined : t('common.fieldRequired'),
      letter: form.letter.trim() ? undefined : t('common.fieldRequired'),
      recipients: recipients.length ? undefined : t('remiss.noRecipients'),
      file: checkFile(file),
    };
    recipients.forEach((r, i) => {
      if (!r.replyBy) errs[`recipients.${i}.replyBy`] = t('common.fieldRequired');
      if (r.external && !r.email.trim()) errs[`recipients.${i}.email`] = t('common.fieldRequired');
    });
    setLocal(errs);
    if (!Object.values(errs).some(Boolean)) mutation.mutate();
  };
  return (
    <FormDialog title={t('remiss.newRound')} isOpen onClose={onClose} onSubmit={submit} submitLabel={t('remiss.send')} pending={mutation.isPending} error={mutation.error}>
      {decisions.length > 0 && (
        <SelectField label={t('remiss.decision')} value={form.decisionId} onChange={(e) => setForm({ ...form, decisionId: e.target.value })}>
          <option value="">{t('remiss.noDecision')}</option>
          {decisions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.ref}
            </option>
          ))}
        </SelectField>
      )}
      <TextField label={t('remiss.titleField')} value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} error={err('title')} required />
      <TextAreaField label={t('remiss.letter')} rows={6} value={form.letter} onChange={(e) => setForm({ ...form, letter: e.target.value })} description={t('remiss.letterHelp')} error={err('letter')} required />
      <div className="field">
        <label htmlFor={fileId}>{t('remiss.letterFile')}</label>
        <input id={fileId} type="file" accept=".pdf,.docx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-describedby={local.file ? `${fileId}-err` : undefined} />
        {local.file && (
          <p id={`${fileId}-err`} className="field-error">
            {local.file}
          </p>
        )}
      </div>
      <TextField label={t('remiss.sentOn')} type="date" value={form.sentOn} max={todayInStockholm()} onChange={(e) => setForm({ ...form, sentOn: e.target.value })} error={err('sentOn')} required />
      <fieldset className="fieldset">
        <legend>{t('remiss.recipients')}</legend>
        <p className="field-desc">{t('remiss.recipientsHelp')}</p>
        <div className="toolbar">
          <OrganisationSelect
            label={t('remiss.pickRecipient')}
            value={pick}
            onChange={(e) => setPick(e.target.value)}
            filter={(org) => org.type !== 'municipality' && !recipients.some((r) => r.organisationId === org.id)}
            emptyLabel={t('remiss.choose')}
          />
          <button type="button" className="btn" onClick={add} disabled={!pick}>
            {t('remiss.add')}
          </button>
        </div>
        {err('recipients') && <p className="field-error">{err('recipients')}</p>}
        <ul className="plain-list recipient-list">
          {recipients.map((r, i) => (
            <li key={r.organisationId} className="card">
              <p>
                <strong>{r.name}</strong> <span className="muted">{r.external ? t('remiss.external') : t('remiss.internal')}</span>
              </p>
              <TextField label={t('remiss.replyByFor', { name: r.name })} type="date" value={r.replyBy} onChange={(e) => update(i, { replyBy: e.target.value })} error={err(`recipients.${i}.replyBy`)} required />
              <TextField
                label={t('remiss.emailFor', { name: r.name })}
                type="email"
                value={r.email}
                onChange={(e) => update(i, { email: e.target.value })}
                error={err(`recipients.${i}.email`)}
                required={r.external}
              />
              <button type="button" className="btn btn-small" onClick={() => setRecipients(recipients.filter((_, j) => j !== i))}>
                {t('remiss.remove', { name: r.name })}
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
    </FormDialog>
  );
}

function ReplyCell({ r }: { r: Recipient }) {
  const { t } = useTranslation();
  if (!r.reply) return <>–</>;
  const p = r.reply;
  return (
    <>
      <span className="block">
        {p.kind === 'decision'
          ? t('remiss.decisionRef', { body: p.decidingBody ?? r.organisationName, date: p.decidedOn ?? '', paragraph: p.paragraph ?? '' })
          : t(`remiss.kind.${p.kind}`)}
      </span>
      <span className="block small">
        {t('remiss.replySummary', { kind: t(`remiss.kind.${p.kind}`), date: p.receivedOn })} · {t(`remiss.via.${p.via}`)} · {t('remiss.record', { number: p.recordNumber })}
      </span>
      {p.secret && (
        <span className="block small">
          <span className="badge badge-danger">{t('secrecy.secretReply')}</span> {t('secrecy.secretReplyText')}
        </span>
      )}
      {p.text && <span className="block small">{p.text.length > 160 ? `${p.text.slice(0, 157)}…` : p.text}</span>}
      {p.file && (
        <a className="block small" href={remissApi.replyFileUrl(r.id)} download={p.file.filename}>
          {t('remiss.file', { name: p.file.filename })}
        </a>
      )}
    </>
  );
}

type Pending = { kind: 'reply' | 'reissue' | 'revoke'; recipient: Recipient } | { kind: 'close'; round: RemissRoundT } | null;

function RoundSection({ round, onAct }: { round: RemissRoundT; onAct: (p: Pending) => void }) {
  const { t } = useTranslation();
  const headingId = `round-${round.id}`;
  const manage = round.allowedActions.includes('manage');
  return (
    <section aria-labelledby={headingId} className="section">
      <h2 id={headingId}>{t('remiss.roundHeading', { title: round.title, date: round.sentOn })}</h2>
      <dl className="dl">
        {round.decisionRef && (
          <>
            <dt>{t('remiss.decision')}</dt>
            <dd>{round.decisionRef}</dd>
          </>
        )}
        {round.exampleNote && (
          <>
            <dt>{t('decisions.exampleNote')}</dt>
            <dd>{round.exampleNote}</dd>
          </>
        )}
        <dt>{t('common.status')}</dt>
        <dd>{round.status === 'closed' ? `${t('remiss.status_closed')} ${formatDateTime(round.closedAt)}` : t('remiss.status_open')}</dd>
        <dt>{t('remiss.col.reply')}</dt>
        <dd>
          {t('remiss.counts', round.counts)}
          {round.counts.outstanding > 0 && <span className="block">{t('remiss.outstanding', { count: round.counts.outstanding })}</span>}
          {round.counts.overdue > 0 && <span className="block error-text">{t('remiss.overdue', { count: round.counts.overdue })}</span>}
        </dd>
        {round.letterRecordNumber && (
          <>
            <dt>{t('remiss.letter')}</dt>
            <dd>
              {t('remiss.record', { number: round.letterRecordNumber })}
              {round.letterFile && (
                <a className="block" href={remissApi.letterFileUrl(round.id)} download={round.letterFile.filename}>
                  {t('remiss.letterDownload', { name: round.letterFile.filename })}
                </a>
              )}
            </dd>
          </>
        )}
      </dl>
      <details>
        <summary>{t('remiss.letter')}</summary>
        {round.letterSecret ? <p className="badge badge-danger">{t('secrecy.secretLetter')}</p> : <p className="prewrap">{round.letter}</p>}
      </details>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('remiss.recipients')}>
        <table className="table">
          <caption className="visually-hidden">{t('remiss.recipients')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('remiss.col.recipient')}</th>
              <th scope="col">{t('remiss.col.replyBy')}</th>
              <th scope="col">{t('remiss.col.status')}</th>
              <th scope="col">{t('remiss.col.reply')}</th>
              <th scope="col">{t('remiss.col.link')}</th>
              <th scope="col">{t('remiss.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {round.recipients.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.organisationName}
                  <span className="block small muted">{r.external ? t('remiss.external') : t('remiss.internal')}</span>
                </th>
                <td className="nowrap">{r.replyBy}</td>
                <td>{r.overdue ? <span className="error-text">{t('remiss.state.overdue')}</span> : r.noReply ? t('remiss.state.noReply') : t(`remiss.state.${r.status}`)}</td>
                <td>
                  <ReplyCell r={r} />
                </td>
                <td>{r.link ? (r.link.state === 'active' ? t('remiss.link.active', { date: formatDateTime(r.link.expiresAt) }) : t(`remiss.link.${r.link.state}`)) : '–'}</td>
                <td>
                  <div className="button-column">
                    {r.allowedActions.includes('answer') && (
                      <button type="button" className="btn btn-small" onClick={() => onAct({ kind: 'reply', recipient: r })} aria-label={t('remiss.recordReplyFor', { name: r.organisationName })}>
                        {t('remiss.recordReply')}
                      </button>
                    )}
                    {r.allowedActions.includes('manageLink') && (
                      <>
                        <button type="button" className="btn btn-small" onClick={() => onAct({ kind: 'reissue', recipient: r })} aria-label={t('remiss.reissueFor', { name: r.organisationName })}>
                          {t('remiss.reissue')}
                        </button>
                        {r.link?.state === 'active' && (
                          <button type="button" className="btn btn-small" onClick={() => onAct({ kind: 'revoke', recipient: r })} aria-label={t('remiss.revokeFor', { name: r.organisationName })}>
                            {t('remiss.revoke')}
                          </button>
                        )}
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('remiss.compilation')}</h3>
      <ExportPanel kind="cases.remiss-compilation" params={{ roundId: round.id }} formats={['docx', 'pdf']} what={t('remiss.compilation')} />
      {manage && (
        <div className="button-row">
          <button type="button" className="btn btn-danger" onClick={() => onAct({ kind: 'close', round })}>
            {t('remiss.close')}
          </button>
        </div>
      )}
    </section>
  );
}

function RemissLayout({ title, crumbs, children }: { title: string; crumbs?: ReactNode; children: ReactNode }) {
  return (
    <>
      {crumbs}
      <PageTitle title={title}>{title}</PageTitle>
      {children}
    </>
  );
}

export function RemissPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/app/arenden/$id/remiss' });
  const me = useMe();
  const qc = useQueryClient();
  const allowed = holds(me, 'cases.read');
  const query = useQuery({ ...roundsQuery(id), enabled: allowed });
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [links, setLinks] = useState<RemissIssuedLinkT[]>([]);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['remiss', id] });
  const act = useMutation({
    mutationFn: async (p: NonNullable<Pending>) => {
      if (p.kind === 'close') {
        await remissApi.close(p.round.id, p.round.version);
        return t('remiss.closed');
      }
      if (p.kind === 'reissue') {
        const r = await remissApi.reissueLink(p.recipient.id);
        setLinks([r.issuedLink]);
        return t('remiss.reissued', { name: p.recipient.organisationName });
      }
      await remissApi.revokeLink(p.recipient.id);
      return t('remiss.revoked', { name: p.recipient.organisationName });
    },
    onSuccess: (message) => {
      setPending(null);
      setNotice(message);
      refresh();
    },
  });
  if (!allowed) return <Forbidden />;
  const data = query.data;
  const title = data ? t('remiss.pageTitle', { number: data.case.registryNumber }) : t('remiss.title');
  return (
    <RemissLayout
      title={title}
      crumbs={data && <Breadcrumb items={[{ label: t('nav.cases'), to: '/arenden' }, { label: data.case.registryNumber, to: '/arenden/$id', params: { id } }, { label: t('cases.tabs.remiss') }]} />}
    >
      {data && <p className="lead">{data.case.title}</p>}
      <CaseTabs caseId={id} registryNumber={data?.case.registryNumber} />
      <p>{t('remiss.intro')}</p>
      <Notice message={notice} />
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {data && (
        <>
          {data.canManage && data.case.status !== 'closed' && (
            <div className="toolbar">
              <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                {t('remiss.newRound')}
              </button>
            </div>
          )}
          <IssuedLinks links={links} />
          {data.items.length === 0 ? <Empty>{t('remiss.noRounds')}</Empty> : data.items.map((r) => <RoundSection key={r.id} round={r} onAct={(p) => { act.reset(); setPending(p); }} />)}
        </>
      )}
      {creating && data && (
        <CreateRoundDialog
          caseId={id}
          decisions={data.decisions}
          onClose={() => setCreating(false)}
          onDone={(r) => {
            setCreating(false);
            setLinks(r.issuedLinks);
            setNotice(t('remiss.sent', { count: r.recipients.length }));
            refresh();
          }}
        />
      )}
      {pending?.kind === 'reply' && (
        <ReplyDialog
          recipient={pending.recipient.id}
          name={pending.recipient.organisationName}
          onClose={() => setPending(null)}
          onDone={() => {
            setNotice(t('remiss.replyRecorded', { name: pending.recipient.organisationName }));
            setPending(null);
            refresh();
          }}
        />
      )}
      {pending && pending.kind !== 'reply' && (
        <ConfirmDialog
          isOpen
          title={pending.kind === 'close' ? t('remiss.closeTitle') : t(pending.kind === 'reissue' ? 'remiss.reissueTitle' : 'remiss.revokeTitle', { name: pending.recipient.organisationName })}
          text={pending.kind === 'close' ? t('remiss.closeText', { count: pending.round.counts.outstanding }) : t(pending.kind === 'reissue' ? 'remiss.reissueText' : 'remiss.revokeText')}
          confirmLabel={pending.kind === 'close' ? t('remiss.close') : pending.kind === 'reissue' ? t('remiss.reissue') : t('remiss.revoke')}
          onClose={() => setPending(null)}
          onConfirm={() => act.mutate(pending)}
          pending={act.isPending}
          error={act.error}
          onReload={() => {
            setPending(null);
            refresh();
          }}
        />
      )}
    </RemissLayout>
  );
}

/** Remisser till oss: the remisses to the organisations the user answers for, answered in Trygg. */
export function RemissInboxPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const allowed = holds(me, 'cases.handle');
  const query = useQuery({ queryKey: ['remiss-inbox'], queryFn: () => remissApi.inbox(), enabled: allowed });
  const [answering, setAnswering] = useState<{ id: string; name: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!allowed) return <Forbidden />;
  return (
    <RemissLayout title={t('remiss.inboxTitle')}>
      <p className="lead">{t('remiss.inboxIntro')}</p>
      <Notice message={notice} />
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {query.data && query.data.items.length === 0 && <Empty>{t('remiss.inboxEmpty')}</Empty>}
      {query.data && query.data.items.length > 0 && (
        // Open remisses to answer first, then those answered or closed (issue #13 item 7).
        <>
          {(
            [
              ['open', query.data.items.filter((i) => i.status === 'pending' && i.roundStatus === 'open')],
              ['done', query.data.items.filter((i) => !(i.status === 'pending' && i.roundStatus === 'open'))],
            ] as const
          ).map(([group, items]) => (
            <section key={group} aria-labelledby={`inbox-${group}-h`} className="section">
              <h2 id={`inbox-${group}-h`}>
                {t(group === 'open' ? 'remissInbox.toAnswer' : 'remissInbox.answered')} <span className="count-badge">{items.length}</span>
              </h2>
              {items.length === 0 ? (
                <Empty>{t(group === 'open' ? 'remissInbox.toAnswerEmpty' : 'remissInbox.answeredEmpty')}</Empty>
              ) : (
                <ul className="card-list">
                  {items.map((i) => (
                    <li key={i.recipientId} className="card">
                      <h3>{i.title}</h3>
                      <p className="muted">
                        {i.registryNumber} · {t('remiss.to', { name: i.organisationName })} · {t('remiss.replyBy')} {i.replyBy}
                      </p>
                      <p>{i.overdue ? <strong className="error-text">{t('remiss.state.overdue')}</strong> : t(`remiss.state.${i.status}`)}</p>
                      <details>
                        <summary>{t('remiss.letter')}</summary>
                        {i.letterSecret ? <p className="badge badge-danger">{t('secrecy.secretLetter')}</p> : <p className="prewrap">{i.letter}</p>}
                        {i.letterFile && (
                          <a href={remissApi.letterFileUrl(i.roundId)} download={i.letterFile.filename}>
                            {t('remiss.letterDownload', { name: i.letterFile.filename })}
                          </a>
                        )}
                      </details>
                      {i.reply && <p>{t('remiss.replySummary', { kind: t(`remiss.kind.${i.reply.kind}`), date: i.reply.receivedOn })}</p>}
                      {group === 'open' && (
                        // The accessible name is the visible text (WCAG 2.5.3): "Svara för Socialnämnden".
                        <button type="button" className="btn btn-primary" onClick={() => setAnswering({ id: i.recipientId, name: i.organisationName })}>
                          {t('remissInbox.answerFor', { name: i.organisationName })}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </>
      )}
      {answering && (
        <ReplyDialog
          recipient={answering.id}
          name={answering.name}
          showReceivedOn={false}
          onClose={() => setAnswering(null)}
          onDone={() => {
            setNotice(t('remiss.replyRecorded', { name: answering.name }));
            setAnswering(null);
            void qc.invalidateQueries({ queryKey: ['remiss-inbox'] });
          }}
        />
      )}
    </RemissLayout>
  );
}
