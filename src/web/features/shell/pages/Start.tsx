import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from '../../../components/Link.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/Feedback.tsx';
import { formatDateTime } from '../../../format.ts';
import { useCategoryName } from '../../../i18n/categories.ts';
import { holds } from '../../auth/api.ts';
import { useMe } from '../../../session.ts';
import { sharesApi } from '../../shares/api.ts';
import { agendaApi, type Agenda } from '../api.ts';

/** How many entries of a list the start page shows before "all". */
const SHOWN = 5;

/**
 * The start page (issue #13 items 4 and 6): what needs the person now — reports due, tasks, remisses to
 * answer, assignments, reviews, new incidents — each list only for those whose role has that work, and for a
 * partner what is shared with them (or that nothing is yet, and whom to ask).
 */
export function StartPage() {
  const { t } = useTranslation();
  const me = useMe();
  const query = useQuery({ queryKey: ['agenda'], queryFn: () => agendaApi.mine(), enabled: !!me });
  if (!me) return null;
  const a = query.data;
  return (
    <>
      <PageTitle title={t('nav.start')}>{t('start.title', { name: me.user.name })}</PageTitle>
      {me.user.mustChangePassword && (
        <div className="alert alert-warn">
          <p>
            {t('start.mustChangePassword')} <Link to="/konto">{t('start.goToAccount')}</Link>
          </p>
        </div>
      )}
      <QueryState isPending={query.isPending} error={query.error} refetch={() => void query.refetch()} />
      {a?.partner && <PartnerStart partner={a.partner} />}
      {a && <AgendaSections agenda={a} />}
      <section className="card" aria-labelledby="roles-h">
        <h2 id="roles-h">{t('start.roles')}</h2>
        {me.grants.length === 0 ? (
          <p className="empty">{t('start.noRoles')}</p>
        ) : (
          <ul className="plain-list">
            {me.grants.map((g) => (
              <li key={g.id}>
                {t('start.roleOn', { role: t(`role.${g.role}`), org: g.organisationName })}
                {g.includeSubtree && <span className="muted"> ({t('start.subtree')})</span>}
              </li>
            ))}
          </ul>
        )}
        <p className="muted small">{t('start.sessionEnds', { time: formatDateTime(me.sessionExpiresAt) })}</p>
      </section>
    </>
  );
}

/** A date, with "försenad" in words (not only a colour) once it has passed. */
function Due({ date, today, label }: { date: string | null; today: string; label: string }) {
  const { t } = useTranslation();
  if (!date) return <span className="muted">{t('agenda.noDueDate')}</span>;
  const late = date < today;
  return (
    <span className={late ? 'due due-late' : 'due'}>
      {t(label, { date })}
      {late && <strong> – {t('agenda.overdue')}</strong>}
    </span>
  );
}

function Section({ id, title, count, empty, more, children }: { id: string; title: string; count: number; empty: string; more?: ReactNode; children: ReactNode }) {
  return (
    <section className="card agenda-section" aria-labelledby={`agenda-${id}-h`}>
      <h3 id={`agenda-${id}-h`}>
        {title} <span className="count-badge">{count}</span>
      </h3>
      {count === 0 ? <p className="empty">{empty}</p> : <ul className="agenda-list">{children}</ul>}
      {count > SHOWN && more}
    </section>
  );
}

function AgendaSections({ agenda: a }: { agenda: Agenda }) {
  const { t } = useTranslation();
  const me = useMe();
  const catName = useCategoryName();
  const today = a.today;
  const sections: ReactNode[] = [];
  if (holds(me, 'followup.report'))
    sections.push(
      <Section key="reports" id="reports" title={t('agenda.reports')} count={a.reports.length} empty={t('agenda.reportsEmpty')} more={<p><Link to="/mina-uppgifter">{t('agenda.allReports', { count: a.reports.length })}</Link></p>}>
        {a.reports.slice(0, SHOWN).map((r) => (
          <li key={r.id}>
            <Link to="/atgarder/$id" params={{ id: r.actionId }}>
              {r.actionTitle}
            </Link>
            <span className="muted small"> · {r.organisationName} · {r.roundName}</span>
            <br />
            <Due date={r.deadline} today={today} label="agenda.reportBy" /> · <span className="small">{t(`agenda.reportState.${r.state}`, { defaultValue: r.state })}</span>
          </li>
        ))}
      </Section>,
    );
  if (holds(me, 'incidents.manage')) {
    sections.push(
      <Section key="tasks" id="tasks" title={t('agenda.incidentTasks')} count={a.incidentTasks.length} empty={t('agenda.incidentTasksEmpty')} more={<p><Link to="/mina-uppgifter">{t('agenda.allTasks', { count: a.incidentTasks.length })}</Link></p>}>
        {a.incidentTasks.slice(0, SHOWN).map((x) => (
          <li key={x.id}>
            <Link to="/handelser/$id" params={{ id: x.incidentId }}>
              {x.title}
            </Link>
            <span className="muted small"> · {catName(x.categoryKey, x.categoryName)}</span>
            <br />
            <Due date={x.dueDate} today={today} label="agenda.doneBy" />
          </li>
        ))}
      </Section>,
    );
    sections.push(
      <section key="new" className="card agenda-section" aria-labelledby="agenda-new-h">
        <h3 id="agenda-new-h">
          {t('agenda.newIncidents')} <span className="count-badge">{a.newIncidents.count}</span>
        </h3>
        {a.newIncidents.count === 0 ? (
          <p className="empty">{t('agenda.newIncidentsEmpty')}</p>
        ) : (
          <p>
            {t('agenda.newIncidentsText', { count: a.newIncidents.count, oldest: a.newIncidents.oldest ? formatDateTime(a.newIncidents.oldest) : '–' })}{' '}
            <Link to="/handelser">{t('agenda.toIncidents')}</Link>
          </p>
        )}
      </section>,
    );
  }
  if (holds(me, 'cases.handle')) {
    sections.push(
      <Section key="remisses" id="remisses" title={t('agenda.remisses')} count={a.remisses.length} empty={t('agenda.remissesEmpty')} more={<p><Link to="/remisser">{t('agenda.allRemisses')}</Link></p>}>
        {a.remisses.slice(0, SHOWN).map((r) => (
          <li key={r.recipientId}>
            <Link to="/remisser">
              {r.registryNumber} {r.title}
            </Link>
            <span className="muted small"> · {r.organisationName}</span>
            <br />
            <Due date={r.replyBy} today={today} label="agenda.answerBy" />
          </li>
        ))}
      </Section>,
    );
    sections.push(
      <Section key="assignments" id="assignments" title={t('agenda.assignments')} count={a.assignments.length} empty={t('agenda.assignmentsEmpty')}>
        {a.assignments.slice(0, SHOWN).map((x) => (
          <li key={x.id}>
            <Link to="/arenden/$id/beslut" params={{ id: x.caseId }}>
              {x.registryNumber}
            </Link>{' '}
            {x.text}
            <span className="muted small"> · {x.organisationName}</span>
            <br />
            <Due date={x.dueDate} today={today} label="agenda.doneBy" />
          </li>
        ))}
      </Section>,
    );
  }
  if (holds(me, 'documents.manage'))
    sections.push(
      <Section key="reviews" id="reviews" title={t('agenda.reviews')} count={a.documentReviews.length} empty={t('agenda.reviewsEmpty')}>
        {a.documentReviews.slice(0, SHOWN).map((d) => (
          <li key={d.id}>
            <Link to="/styrdokument" search={{ dokument: d.id }}>
              {d.title}
            </Link>
            <br />
            <Due date={d.nextReviewOn} today={today} label="agenda.reviewBy" />
          </li>
        ))}
      </Section>,
    );
  // A partner with no other work sees only what is shared with them (above), not an empty agenda.
  if (sections.length === 0 && a.partner) return null;
  return (
    <section aria-labelledby="agenda-h" className="section">
      <h2 id="agenda-h">{t('agenda.title')}</h2>
      {sections.length === 0 ? <p className="lead">{t('agenda.nothingForRole')}</p> : <div className="agenda-grid">{sections}</div>}
      {holds(me, 'incidents.report') && (
        <p>
          <Link to="/rapportera" className="btn">
            {t('nav.reportIncident')}
          </Link>
        </p>
      )}
    </section>
  );
}

/** A partner's start (issue #13 item 4): what the municipality shares with them now, or that nothing is yet and whom to ask. */
function PartnerStart({ partner }: { partner: NonNullable<Agenda['partner']> }) {
  const { t } = useTranslation();
  const shared = useQuery({ queryKey: ['shared'], queryFn: () => sharesApi.sharedWithUs(), enabled: partner.activeShares > 0 });
  const contacts = partner.contacts.map((c, i) => (
    <span key={c.email}>
      {i > 0 && ', '}
      {c.name} (<a href={`mailto:${c.email}`}>{c.email}</a>)
    </span>
  ));
  return (
    <section aria-labelledby="partner-h" className="card section">
      <h2 id="partner-h">{t('agenda.partnerTitle', { municipality: partner.municipality })}</h2>
      {partner.activeShares === 0 ? (
        <>
          <p>{t('agenda.partnerNothing', { municipality: partner.municipality })}</p>
          <p>{t('agenda.partnerHow')}</p>
        </>
      ) : (
        <>
          <p>{t('agenda.partnerCount', { count: partner.activeShares, date: partner.nextEnding ?? '–' })}</p>
          <ul className="agenda-list">
            {(shared.data?.items ?? []).slice(0, SHOWN).map((s) => (
              <li key={s.id}>
                <Link to="/delat/$id" params={{ id: s.id }}>
                  {s.title}
                </Link>
                <span className="muted small">
                  {' '}
                  · {t(`shares.recordType.${s.recordType}`)} · {t('shares.endsOnShort', { date: s.endsOn })}
                </span>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/delat">{t('agenda.partnerAll')}</Link>
          </p>
        </>
      )}
      <p>
        {partner.contacts.length > 0 ? (
          <>
            {t('agenda.partnerAsk')} {contacts}.
          </>
        ) : (
          t('agenda.partnerAskNobody', { municipality: partner.municipality })
        )}
      </p>
      <p className="small muted">{t('agenda.partnerAlso')}</p>
    </section>
  );
}
