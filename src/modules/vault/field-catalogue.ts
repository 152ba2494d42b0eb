/**
 * Typed fields of a personal-data record and their canonical forms (DAT-03, DAT-05, DAT-06). A value is
 * normalised once at ingest (trim, NFC, length limits, per-kind rules) before it is sealed, and search queries
 * go through the same functions, so the blind indexes of ingest and search agree. Rejections carry a stable
 * code and a message naming the field, never its value: messages reach clients and may reach logs (DAT-05).
 *
 * Canonical forms: email = lower-case local part @ Unicode (IDNA-mapped) domain; phone = optional `+` and
 * 7–15 digits (`00` → `+`, a `(0)` trunk prefix after `+` dropped); LinkedIn = `https://www.linkedin.com/<path>`
 * in lower case without query, fragment or trailing slash; names, company and title = one line with single
 * spaces; address = lines joined by `\n`. Search tokens fold case and diacritics (NFKD, marks removed).
 */
import { domainToASCII, domainToUnicode } from 'node:url';

export type FieldKind =
  | 'full_name'
  | 'email'
  | 'phone'
  | 'company'
  | 'title'
  | 'address'
  | 'linkedin_url'
  | 'notes'
  | 'custom';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  label: string;
  searchable: 'exact' | 'tokens' | false;
  maxLength: number;
}

export type NormaliseResult = { ok: true; value: string } | { ok: false; code: string; message: string };

const fields: FieldSpec[] = [
  { name: 'fullName', kind: 'full_name', label: 'Full name', searchable: 'tokens', maxLength: 200 },
  { name: 'email', kind: 'email', label: 'Email', searchable: 'exact', maxLength: 254 },
  { name: 'phone', kind: 'phone', label: 'Phone', searchable: 'exact', maxLength: 32 },
  { name: 'company', kind: 'company', label: 'Company', searchable: 'tokens', maxLength: 200 },
  { name: 'title', kind: 'title', label: 'Title', searchable: false, maxLength: 200 },
  { name: 'address', kind: 'address', label: 'Address', searchable: false, maxLength: 500 },
  { name: 'linkedinUrl', kind: 'linkedin_url', label: 'LinkedIn URL', searchable: 'exact', maxLength: 300 },
  { name: 'notes', kind: 'notes', label: 'Notes', searchable: false, maxLength: 4000 },
];
export const builtInFields: readonly FieldSpec[] = Object.freeze(fields.map((f) => Object.freeze(f)));

export function findBuiltInField(name: string): FieldSpec | undefined {
  return builtInFields.find((f) => f.name === name);
}

const MAX_TOKENS = 16;
// C0/C1 controls, bidi embeddings/overrides/isolates (text spoofing), and the BOM
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069\ufeff]/u;
const LINE_BREAKS = /\r\n?|[\n\u2028\u2029]/g;
const EMAIL_LOCAL = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const PHONE_INPUT = /^\+?[0-9 ().-]+$/;

function fail(spec: FieldSpec, code: string, why: string): NormaliseResult {
  return { ok: false, code, message: `${spec.label} ${why}.` };
}

export function normaliseField(spec: FieldSpec, raw: unknown): NormaliseResult {
  if (typeof raw !== 'string') return fail(spec, 'vault.field_invalid', 'must be text');
  // bound the work before normalising (NFC never grows a string this much); lone surrogates would not survive UTF-8
  if (raw.length > spec.maxLength * 4) return tooLong(spec);
  if (!raw.isWellFormed()) return fail(spec, 'vault.field_invalid', 'contains invalid characters');
  const text = raw.normalize('NFC').trim();
  if (!text) return fail(spec, 'vault.field_empty', 'is empty');
  const value = (rules[spec.kind] ?? oneLine)(text); // names, company, title: one line
  if (value === undefined) return fail(spec, 'vault.field_invalid', invalidBecause[spec.kind] ?? NOT_ALLOWED);
  return [...value].length > spec.maxLength ? tooLong(spec) : { ok: true, value };
}

const tooLong = (spec: FieldSpec) => fail(spec, 'vault.field_too_long', `is longer than ${spec.maxLength} characters`);

const NOT_ALLOWED = 'contains control characters that are not allowed';
const invalidBecause: Partial<Record<FieldKind, string>> = {
  email: 'is not a valid email address',
  phone: 'is not a valid phone number (7 to 15 digits, optional leading +)',
  linkedin_url: 'is not an https URL on linkedin.com',
};

const rules: Partial<Record<FieldKind, (text: string) => string | undefined>> = {
  email: normaliseEmail,
  phone: normalisePhone,
  linkedin_url: normaliseLinkedIn,
  address: (text) => {
    const lines = text.split(LINE_BREAKS).map(oneLine);
    return lines.includes(undefined) ? undefined : lines.filter(Boolean).join('\n');
  },
  notes: freeText,
  custom: freeText,
};

function freeText(text: string): string | undefined {
  const t = text.replace(LINE_BREAKS, '\n');
  return CONTROL.test(t.replace(/[\t\n]/g, '')) ? undefined : t;
}

/** Whitespace runs (tabs and line breaks included) become one space; any other control character rejects. */
function oneLine(text: string): string | undefined {
  const t = text.replace(/\s+/gu, ' ').trim();
  return CONTROL.test(t) ? undefined : t;
}

function normaliseEmail(text: string): string | undefined {
  const lower = text.toLowerCase();
  const at = lower.indexOf('@');
  if (at < 1 || at !== lower.lastIndexOf('@')) return undefined;
  const local = lower.slice(0, at);
  if ([...local].length > 64 || !EMAIL_LOCAL.test(local)) return undefined;
  // UTS #46 mapping (width, case, IDNA) then an LDH check of the ASCII form; stored in its Unicode form
  const ascii = domainToASCII(lower.slice(at + 1));
  const labels = ascii.split('.');
  if (!ascii || ascii.length > 253 || labels.length < 2) return undefined;
  if (!labels.every((l) => DOMAIN_LABEL.test(l)) || !TLD.test(labels.at(-1) as string)) return undefined;
  return `${local}@${domainToUnicode(ascii).normalize('NFC')}`;
}

function normalisePhone(text: string): string | undefined {
  const t = text.normalize('NFKC'); // full-width digits and punctuation
  if (!PHONE_INPUT.test(t)) return undefined;
  const intl = /^(?:\+|00(?=[ .-]?[1-9]))/.exec(t)?.[0];
  // "+44 (0)20 …": the (0) is the national trunk prefix, not part of the international number
  const digits = (intl ? t.slice(intl.length).replace('(0)', '') : t).replace(/[^0-9]/g, '');
  if (digits.length < 7 || digits.length > 15 || (intl && digits.startsWith('0'))) return undefined;
  return intl ? `+${digits}` : digits;
}

function normaliseLinkedIn(text: string): string | undefined {
  if (/\s/u.test(text) || CONTROL.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  const host = url.hostname;
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return undefined;
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) return undefined;
  // www and country subdomains (uk., de.) serve the same profiles; other subdomains are kept as they are
  const canonicalHost =
    host === 'linkedin.com' || /^(?:www|[a-z]{2})\.linkedin\.com$/.test(host) ? 'www.linkedin.com' : host;
  const path = url.pathname.replace(/\/+$/, '').toLowerCase();
  if (!path) return undefined;
  return `https://${canonicalHost}${path}`;
}

/** Case- and diacritic-folded word tokens (length ≥ 2, distinct, first 16), for `tokens` fields and `q`. */
export function wordTokens(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(/[øłđæœßıþς]/g, (c) => FOLDS[c] ?? c);
  const tokens = new Set<string>();
  for (const t of folded.split(/[^\p{L}\p{N}]+/u)) {
    if ([...t].length >= 2) tokens.add(t);
    if (tokens.size === MAX_TOKENS) break;
  }
  return [...tokens];
}

// letters that NFKD does not decompose, folded the way people type them without the diacritic
const FOLDS: Partial<Record<string, string>> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ı: 'i',
  þ: 'th',
  ς: 'σ',
};

/** Canonical search terms of a normalised value: the value itself, its tokens, or nothing. */
export function searchTerms(spec: Pick<FieldSpec, 'searchable'>, normalised: string): string[] {
  if (spec.searchable === 'exact') return normalised ? [normalised] : [];
  if (spec.searchable === 'tokens') return wordTokens(normalised);
  return [];
}

const queryFields = { email: findBuiltInField('email') as FieldSpec, phone: findBuiltInField('phone') as FieldSpec };

/**
 * Terms of a search query, made exactly as at ingest (email and phone: the canonical value; `q`: word tokens
 * as in fullName and company). An empty array means the query cannot match anything: answer 400.
 */
export function queryTerms(kind: 'email' | 'phone' | 'q', raw: string): string[] {
  if (kind === 'q') return raw.length > 400 ? [] : wordTokens(raw.normalize('NFC'));
  const spec = queryFields[kind];
  const r = normaliseField(spec, raw);
  return r.ok ? searchTerms(spec, r.value) : [];
}
