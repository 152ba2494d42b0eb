import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditEventFilters } from './audit.api.ts';

/** The outcomes the server records (and accepts as the `outcome` filter). */
export const auditOutcomes = ['success', 'failure', 'denied'] as const;

/** Stable audit actions from the public contract, offered as suggestions (any text may still be typed). */
export const knownAuditActions = [
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.mfa.failed',
  'auth.logout',
  'auth.session.replaced',
  'identity.user.created',
  'identity.user.approved',
  'identity.account.locked',
  'access.grant.requested',
  'access.grant.approved',
  'vault.record.created',
  'vault.record.searched',
  'vault.record.revealed',
  'vault.record.shredded',
  'vault.canary.touched',
  'keys.rotation.started',
  'keys.rotation.finished',
  'detection.alert.raised',
  'detection.ip.blocked',
  'audit.log.read',
];

export type AuditFilters = AuditEventFilters;

/** Filters live in the URL so that a filtered view can be shared and survives Back and reload. */
export function useAuditFilters(): [AuditFilters, (next: AuditFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = {
    action: params.get('action')?.trim() ?? '',
    // An unknown value in a hand-edited URL would be refused by the server; treat it as no filter.
    outcome: (auditOutcomes as readonly string[]).includes(params.get('outcome') ?? '')
      ? (params.get('outcome') ?? '')
      : '',
  };
  const setFilters = useCallback(
    (next: AuditFilters) => {
      const p = new URLSearchParams();
      if (next.action.trim()) p.set('action', next.action.trim());
      if (next.outcome) p.set('outcome', next.outcome);
      setParams(p);
    },
    [setParams],
  );
  return [filters, setFilters];
}
