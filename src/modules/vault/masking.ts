/**
 * Masking rules of the search results (DAT-03, DAT-04, DAT-05; api.md "Masking"). A masked value never shows
 * more than the rule for its kind, whatever the input:
 * - words (full name, company, title, address): the first character of each word; every other letter, digit,
 *   mark or symbol becomes `*`, while spaces, line breaks and the separators `- ' ’ . , & / ( )` stay, so word
 *   boundaries and the length (in code points) are kept: `Paula Lemaire-Ost` → `P**** L******-O**`.
 * - email: the first character of the local part and of the domain, and the top-level domain, with a fixed
 *   run of three `*` so lengths do not leak: `paula.l@lumen.example` → `p***@l***.example`.
 * - phone: the last two digits behind a fixed run of seven `•` (nine characters whatever the number, so its
 *   length and country code do not leak): `+442079460042` → `•••••••42`.
 * - LinkedIn URL: the kind of page and the first character of its handle: `linkedin.com/in/p***`.
 * - notes and custom fields: nothing but a length bucket (a power of two, at least 16): `[up to 16 characters]`.
 * A value that does not have the shape of its kind (legacy data) is masked completely.
 */
import type { FieldSpec } from './field-catalogue.ts';

const STAR = '*';
const HIDDEN = '***';
const WORD_CHAR = /[\p{L}\p{N}]/u;
const KEPT_SEPARATORS = new Set([' ', '\n', '-', "'", '’', '.', ',', '&', '/', '(', ')']);
const LINKEDIN_PAGES = new Set(['in', 'pub', 'company', 'school', 'showcase']);

export function maskField(spec: FieldSpec, normalised: string): string {
  if (!normalised) return '';
  switch (spec.kind) {
    case 'email':
      return maskEmail(normalised);
    case 'phone':
      return maskPhone(normalised);
    case 'linkedin_url':
      return maskLinkedIn(normalised);
    case 'notes':
    case 'custom':
      return maskLength(normalised);
    case 'full_name':
    case 'company':
    case 'title':
    case 'address':
      return maskWords(normalised);
  }
}

/** First character of each word; a word is a run of letters and digits (combining marks do not end it). */
export function maskWords(value: string): string {
  let out = '';
  let inWord = false;
  for (const c of value) {
    if (WORD_CHAR.test(c)) {
      out += inWord ? STAR : c;
      inWord = true;
    } else if (/\p{M}/u.test(c)) {
      out += STAR; // a mark belongs to a word; a stray one at a word's start hides the whole word
      inWord = true;
    } else {
      inWord = false;
      out += KEPT_SEPARATORS.has(c) ? c : STAR;
    }
  }
  return out;
}

export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const tld = labels.at(-1) ?? '';
  if (at < 1 || labels.length < 2 || !labels[0] || !/^[\p{L}\p{N}-]+$/u.test(tld)) return `${HIDDEN}@${HIDDEN}`;
  return `${firstChar(local)}${HIDDEN}@${firstChar(labels[0])}${HIDDEN}.${tld}`;
}

export function maskPhone(value: string): string {
  const digits = value.replace(/[^0-9]/g, '');
  return digits.length < 7 ? '•'.repeat(9) : `${'•'.repeat(7)}${digits.slice(-2)}`;
}

export function maskLinkedIn(value: string): string {
  let segments: string[];
  try {
    segments = new URL(value).pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return `linkedin.com/${HIDDEN}`;
  }
  const [page, handle] = segments;
  if (!page || !handle || !LINKEDIN_PAGES.has(page)) return `linkedin.com/${HIDDEN}`;
  // a handle such as "-paula" starts with a separator: show nothing of it rather than a later character
  const first = firstChar(handle);
  return `linkedin.com/${page}/${WORD_CHAR.test(first) ? first : ''}${HIDDEN}`;
}

/** Free text shows only how long it roughly is: the next power of two, at least 16 characters. */
export function maskLength(value: string): string {
  const length = [...value].length;
  let bucket = 16;
  while (bucket < length) bucket *= 2;
  return `[up to ${bucket} characters]`;
}

const firstChar = (s: string): string => [...s][0] ?? '';
