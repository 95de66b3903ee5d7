import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { auth, fetchMe, type Me } from './features/auth/api.ts';
import { applyLocale, type Locale } from './i18n/index.ts';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async () => {
    const me = await fetchMe();
    // The account's language wins over this browser's last choice.
    if (me) await applyLocale(me.user.locale);
    return me;
  },
  staleTime: 60_000,
});

/** The signed-in user (inside the app layout it is always loaded). */
export function useMe(): Me | null {
  return useQuery(meQuery).data ?? null;
}

export function signedIn(qc: QueryClient, me: Me) {
  qc.clear();
  void applyLocale(me.user.locale);
  qc.setQueryData(meQuery.queryKey, me);
}

export async function signOut(qc: QueryClient) {
  try {
    await auth.signOut();
  } finally {
    qc.clear();
    qc.setQueryData(meQuery.queryKey, null);
  }
}

/** Switches language; when signed in, saves it on the account too. */
export async function changeLocale(qc: QueryClient, locale: Locale) {
  await applyLocale(locale);
  const me = qc.getQueryData(meQuery.queryKey);
  if (me) {
    await auth.setLocale(locale);
    qc.setQueryData(meQuery.queryKey, (old) => (old ? { ...old, user: { ...old.user, locale } } : old));
  }
}
