import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isUuid } from '../../lib/lists.ts';

export type SearchMode = 'email' | 'phone' | 'q';

export const searchModes: readonly { value: SearchMode; label: string; input: string; placeholder: string }[] = [
  { value: 'email', label: 'Email', input: 'Email address', placeholder: 'name@example.com' },
  { value: 'phone', label: 'Phone', input: 'Phone number', placeholder: '+44 20 7946 0000' },
  { value: 'q', label: 'Name or company', input: 'Name or company words', placeholder: 'Lemaire' },
];

/** A search that can be sent: one criterion and, optionally, one data owner. */
export interface RecordSearch {
  mode: SearchMode;
  term: string;
  ownerId: string | undefined;
}

export interface RecordSearchParams {
  mode: SearchMode;
  term: string;
  ownerId: string;
}

/**
 * The mode and the data owner live in the URL (Back and a shared link keep them); the searched **term does
 * not**: an email, phone number or name is personal data, and the address bar would copy it into the browser's
 * history and session-restore files (DAT-05). It is held in this page's memory only.
 */
export function useRecordSearchParams(): [RecordSearchParams, (next: RecordSearchParams) => void] {
  const [params, setParams] = useSearchParams();
  const [term, setTerm] = useState('');
  const modeParam = params.get('mode');
  const mode: SearchMode = modeParam === 'phone' || modeParam === 'q' ? modeParam : 'email';
  const owner = params.get('ownerId') ?? '';
  const value: RecordSearchParams = {
    mode,
    term,
    // A hand-edited id the server would refuse (400) is treated as no filter.
    ownerId: isUuid(owner) ? owner : '',
  };
  const set = useCallback(
    (next: RecordSearchParams) => {
      const p = new URLSearchParams();
      if (next.mode !== 'email') p.set('mode', next.mode);
      if (next.ownerId) p.set('ownerId', next.ownerId);
      setTerm(next.term.trim());
      setParams(p, { replace: true });
    },
    [setParams],
  );
  return [value, set];
}

/**
 * Why a term cannot match anything, said before the server is asked (it would answer 400
 * `vault.query_too_broad`): the blind indexes match a whole email, a whole number, or whole words.
 */
export function termProblem(mode: SearchMode, term: string): string | null {
  const t = term.trim();
  if (!t) return 'Type what you are looking for.';
  if (mode === 'email') {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t)
      ? null
      : 'Enter the whole email address, e.g. name@example.com: parts of an address cannot be searched.';
  }
  if (mode === 'phone') {
    const digits = t.replace(/[^0-9]/g, '').length;
    if (!/^\+?[0-9 ().-]+$/.test(t)) return 'Use digits, spaces, brackets, dots or dashes, and an optional leading +.';
    return digits >= 7 && digits <= 15 ? null : 'Enter the whole phone number: 7 to 15 digits, e.g. +44 20 7946 0042.';
  }
  return t.split(/[^\p{L}\p{N}]+/u).some((w) => [...w].length >= 3)
    ? null
    : 'Enter at least one whole word of 3 or more letters from the name or the company.';
}

/** The helpful version of the server's 400 answers, for the mode in use. */
export function searchHint(code: string, mode: SearchMode): string | null {
  if (code === 'vault.query_required') return 'Type an email address, a phone number, or a name or company word.';
  if (code === 'vault.query_too_broad') {
    if (mode === 'email') return 'Search by the whole email address: the search matches complete addresses only.';
    if (mode === 'phone')
      return 'Search by the whole phone number (7 to 15 digits); the last digits alone do not match.';
    return 'Use at least one whole word of 3 or more letters: short or partial words would match too many people.';
  }
  return null;
}
