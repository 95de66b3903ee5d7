import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { organisations as orgApi } from './features/organisations/api.ts';
import { flatten, indexOrgs } from './features/organisations/tree.ts';

/** Active organisations (shared cache with the organisation page), indexed and in tree order. */
export function useOrgs() {
  const query = useQuery({ queryKey: ['organisations', false], queryFn: () => orgApi.list(false) });
  const index = useMemo(() => indexOrgs(query.data?.items ?? []), [query.data]);
  const ordered = useMemo(() => flatten(index), [index]);
  const name = (id: string | null | undefined) => (id ? (index.byId.get(id)?.name ?? id) : '–');
  return { query, index, ordered, name };
}
