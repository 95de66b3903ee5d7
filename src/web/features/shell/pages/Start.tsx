import { Link } from '../../../components/Link.tsx';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { formatDateTime } from '../../../format.ts';
import { NAV_ITEMS } from '../nav.ts';
import { useMe } from '../../../session.ts';

export function StartPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me) return null;
  const shortcuts = NAV_ITEMS.filter((i) => i.to !== '/' && i.visible(me));
  return (
    <>
      <PageTitle title={t('nav.start')}>{t('start.title', { name: me.user.name })}</PageTitle>
      <p className="lead">{t('start.intro')}</p>
      {me.user.mustChangePassword && (
        <div className="alert alert-warn">
          <p>
            {t('start.mustChangePassword')} <Link to="/konto">{t('start.goToAccount')}</Link>
          </p>
        </div>
      )}
      <div className="grid-2">
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
        {shortcuts.length > 0 && (
          <section className="card" aria-labelledby="shortcuts-h">
            <h2 id="shortcuts-h">{t('start.shortcuts')}</h2>
            <ul className="plain-list">
              {shortcuts.map((s) => (
                <li key={s.to}>
                  <Link to={s.to}>{t(s.label)}</Link>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </>
  );
}
