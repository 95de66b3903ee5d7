import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import '@fontsource/source-sans-3/400.css';
import '@fontsource/source-sans-3/600.css';
import '@fontsource/source-sans-3/700.css';
import './styles.css';
import { i18nReady } from './i18n/index.ts';
import { ApiError, onUnauthenticated } from './api/client.ts';
import { meQuery } from './session.ts';
import { makeRouter } from './router.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers do not get better by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});
const router = makeRouter(queryClient);

// A session that ends while the app is open: back to the sign-in page, then back here.
onUnauthenticated(() => {
  // Only a session that was there and is gone; "not signed in yet" is handled by the routes.
  if (!queryClient.getQueryData(meQuery.queryKey)) return;
  queryClient.clear();
  queryClient.setQueryData(meQuery.queryKey, null);
  const here = router.state.location.href;
  if (!router.state.location.pathname.startsWith('/logga-in') && !router.state.location.pathname.startsWith('/satt-losenord') && !router.state.location.pathname.startsWith('/remissvar'))
    void router.navigate({ to: '/logga-in', search: { expired: true, redirect: here } });
});

// English, when this browser chose it, is fetched first: no Swedish flash before it.
void i18nReady.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  ),
);
