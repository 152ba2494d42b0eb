import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { userStatuses } from './users.api.ts';

export interface UsersFilters {
  status: string;
  page: number;
}

function readFilters(params: URLSearchParams): UsersFilters {
  const rawStatus = params.get('status') ?? '';
  const rawPage = Number(params.get('page') ?? '1');
  return {
    // An unknown value in a hand-edited URL would be refused by the server; treat it as no filter.
    status: (userStatuses as readonly string[]).includes(rawStatus) ? rawStatus : '',
    page: Number.isInteger(rawPage) && rawPage >= 1 ? rawPage : 1,
  };
}

/** Filters and page live in the URL: a filtered view can be shared and survives Back and reload. */
export function useUsersFilters(): [UsersFilters, (next: Partial<UsersFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const setFilters = useCallback(
    (next: Partial<UsersFilters>) =>
      setParams((prev) => {
        const merged = { ...readFilters(prev), ...next };
        // A new filter starts again at page 1.
        if (next.status !== undefined && next.page === undefined) merged.page = 1;
        const p = new URLSearchParams();
        if (merged.status) p.set('status', merged.status);
        if (merged.page > 1) p.set('page', String(merged.page));
        return p;
      }),
    [setParams],
  );
  return [readFilters(params), setFilters];
}
