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
  'audit.log.verified',
  'audit.log.exported',
  'audit.log.pruned',
  'audit.inclusion.proved',
  'audit.pseudonym_key.created',
  'audit.pseudonym_key.destroyed',
];

export type AuditFilters = AuditEventFilters;

export const emptyAuditFilters: AuditFilters = { action: '', outcome: '', actorId: '', from: '', to: '' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isActorId = (v: string) => UUID.test(v.trim());

/** An instant from the URL, kept only when it is one (the server refuses anything else). */
const instant = (v: string | null) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : '');

/** `datetime-local` works in the viewer's own time: converting both ways keeps the URL in UTC, shareable. */
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(local: string): string {
  if (!local) return '';
  const d = new Date(local); // a local date-time without a zone is read in the viewer's zone
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export const hasAuditFilters = (f: AuditFilters) => Boolean(f.action || f.outcome || f.actorId || f.from || f.to);

/** Filters live in the URL so that a filtered view can be shared and survives Back and reload. */
export function useAuditFilters(): [AuditFilters, (next: AuditFilters) => void] {
  const [params, setParams] = useSearchParams();
  const actor = params.get('actor')?.trim() ?? '';
  const filters: AuditFilters = {
    action: params.get('action')?.trim() ?? '',
    // An unknown value in a hand-edited URL would be refused by the server; treat it as no filter.
    outcome: (auditOutcomes as readonly string[]).includes(params.get('outcome') ?? '')
      ? (params.get('outcome') ?? '')
      : '',
    actorId: isActorId(actor) ? actor.toLowerCase() : '',
    from: instant(params.get('from')),
    to: instant(params.get('to')),
  };
  const setFilters = useCallback(
    (next: AuditFilters) => {
      const p = new URLSearchParams();
      if (next.action.trim()) p.set('action', next.action.trim());
      if (next.outcome) p.set('outcome', next.outcome);
      if (next.actorId.trim()) p.set('actor', next.actorId.trim().toLowerCase());
      if (next.from) p.set('from', next.from);
      if (next.to) p.set('to', next.to);
      setParams(p);
    },
    [setParams],
  );
  return [filters, setFilters];
}
