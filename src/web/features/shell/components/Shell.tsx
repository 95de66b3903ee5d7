import { useCallback, useEffect, useRef, useState } from 'react';
import { Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { Link } from '../../../components/Link.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { currentNavItem, visibleNav } from '../nav.ts';
import { SubNavContext } from '../current.ts';
import { useScrollHints } from '../scrollHints.ts';
import { MenuButton } from '../../../components/MenuButton.tsx';
import { NotificationBell } from '../../notifications/components/NotificationBell.tsx';
import { changeLocale, signOut, useMe } from '../../../session.ts';
import type { Locale } from '../../../i18n/index.ts';

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const other: Locale = i18n.language === 'en' ? 'sv' : 'en';
  return (
    <button type="button" className="btn btn-ghost" lang={other} onClick={() => void changeLocale(qc, other)}>
      {t('app.switchTo')}
    </button>
  );
}

function UserMenu({ name }: { name: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  return (
    <MenuButton
      className="btn btn-ghost user-button"
      label={t('app.userMenu', { name })}
      items={[
        { id: 'account', label: t('app.account') },
        { id: 'sign-out', label: t('app.signOut') },
      ]}
      onAction={async (key) => {
        if (key === 'account') void navigate({ to: '/konto' });
        if (key === 'sign-out') {
          await signOut(qc);
          void navigate({ to: '/logga-in', search: { signedOut: true } });
        }
      }}
    >
      <span aria-hidden="true" className="avatar">
        {name.slice(0, 1)}
      </span>
      <span className="user-name">{name}</span>
    </MenuButton>
  );
}

export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  // The page shown, not the one asked for: pages are loaded on demand, and focus must wait for the new heading.
  const pathname = useRouterState({ select: (s) => (s.resolvedLocation ?? s.location).pathname });
  const [menuOpen, setMenuOpen] = useState(false);
  const first = useRef(true);

  // After navigation: close the small-screen menu and move focus to the new page's heading.
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    const id = requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    return () => cancelAnimationFrame(id);
  }, [pathname]);

  const groups = me ? visibleNav(me) : [];
  const current = currentNavItem(groups.flatMap((g) => g.items), pathname);
  // A page with its own sub-navigation (the case tabs) marks the current tab; the menu then only highlights.
  const [subNavOwnsCurrent, setSubNavOwnsCurrent] = useState(false);
  const ownsCurrent = useCallback((owns: boolean) => setSubNavOwnsCurrent(owns), []);
  const [main, setMain] = useState<HTMLElement | null>(null);
  useScrollHints(main, t('shell.scrollHint'));
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        {t('app.skipLink')}
      </a>
      <header className="site-header">
        <div className="header-bar">
          <Link to="/" className="brand">
            {t('app.name')}
          </Link>
          {me && (
            <button
              type="button"
              className="btn btn-ghost menu-button"
              aria-expanded={menuOpen}
              aria-controls="main-nav"
              onClick={() => setMenuOpen((o) => !o)}
            >
              <span aria-hidden="true">☰ </span>
              {t('app.menu')}
            </button>
          )}
          <div className="header-tools">
            {me && <NotificationBell />}
            <LanguageSwitch />
            {me && <UserMenu name={me.user.name} />}
          </div>
        </div>
      </header>
      <div className={me ? 'app-body with-nav' : 'app-body'}>
        {me && (
          <nav
            id="main-nav"
            aria-label={t('app.mainNav')}
            className={menuOpen ? 'main-nav open' : 'main-nav'}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && menuOpen) {
                setMenuOpen(false);
                document.querySelector<HTMLElement>('.menu-button')?.focus();
              }
            }}
          >
            {groups.map((g) => (
              <div key={g.key} className="nav-group">
                {/* The group's title is read just before its list; not its label, so that a page's own field or
                    heading named "Program" or "Händelse" stays the only one of that name. */}
                <p className="nav-group-title">{t(g.label)}</p>
                <ul>
                  {g.items.map((item) => {
                    const isCurrent = item === current;
                    return (
                      <li key={item.to}>
                        <Link
                          to={item.to}
                          current={isCurrent && !subNavOwnsCurrent}
                          className={isCurrent ? 'active' : undefined}
                          // The phone menu closes when a link is chosen, also the link to the page already shown.
                          onClick={() => setMenuOpen(false)}
                        >
                          {t(item.label)}
                        </Link>
                      </li>
                    );
                  })}
                </ul>
              </div>
            ))}
          </nav>
        )}
        <main id="main" tabIndex={-1} ref={setMain}>
          <SubNavContext.Provider value={ownsCurrent}>
            <Outlet />
          </SubNavContext.Provider>
        </main>
      </div>
      <footer className="site-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}
