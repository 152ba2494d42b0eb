import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import type { AlertFilters } from './detection.api.ts';
import { alertStatuses, severities } from './detection.api.ts';

const ruleId = /^[a-z0-9-]{2,80}$/;

/**
 * The queue opens on what still needs someone (open and acknowledged: "unresolved"); `status=any` shows every
 * alert. Unknown values in a hand-edited URL would be refused by the server, so they count as no filter.
 */
function readFilters(params: URLSearchParams): AlertFilters {
  const rawStatus = params.get('status');
  const statusParam = rawStatus === null ? 'unresolved' : rawStatus;
  const severity = params.get('severity') ?? '';
  const rule = params.get('rule') ?? '';
  return {
    status:
      statusParam === 'unresolved' || (alertStatuses as readonly string[]).includes(statusParam) ? statusParam : '',
    severity: (severities as readonly string[]).includes(severity) ? severity : '',
    rule: ruleId.test(rule) ? rule : '',
  };
}

/** Filters live in the URL: a filtered queue can be shared and survives Back and reload. */
export function useAlertFilters(): [AlertFilters, (next: Partial<AlertFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const setFilters = useCallback(
    (next: Partial<AlertFilters>) =>
      setParams((prev) => {
        const merged = { ...readFilters(prev), ...next };
        const p = new URLSearchParams();
        // "unresolved" is the default, so it is left out; "any" has to be said.
        if (merged.status !== 'unresolved') p.set('status', merged.status || 'any');
        if (merged.severity) p.set('severity', merged.severity);
        if (merged.rule) p.set('rule', merged.rule);
        return p;
      }),
    [setParams],
  );
  return [readFilters(params), setFilters];
}
