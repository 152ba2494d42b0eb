/**
 * Field normalisation and search terms (DAT-03, DAT-05): canonical forms, rejections that never echo the
 * value, and ingest terms that equal the terms of a search for the same person.
 */
import { describe, expect, it } from 'vitest';
import {
  builtInFields,
  type FieldSpec,
  findBuiltInField,
  normaliseField,
  queryTerms,
  searchTerms,
} from './field-catalogue.ts';

const spec = (name: string) => findBuiltInField(name) as FieldSpec;
const ok = (name: string, raw: unknown) => {
  const r = normaliseField(spec(name), raw);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(raw)} to be accepted as ${name}: ${r.code}`);
  return r.value;
};

describe('field catalogue', () => {
  it('declares the built-in fields and how each is searched', () => {
    expect(builtInFields.map((f) => [f.name, f.searchable])).toEqual([
      ['fullName', 'tokens'],
      ['email', 'exact'],
      ['phone', 'exact'],
      ['company', 'tokens'],
      ['title', false],
      ['address', false],
      ['linkedinUrl', 'exact'],
      ['notes', false],
    ]);
    expect(Object.isFrozen(builtInFields) && Object.isFrozen(builtInFields[0])).toBe(true);
  });

  it.each([
    ['email', '  Paula.Lemaire@Lumen.EXAMPLE ', 'paula.lemaire@lumen.example'],
    ['email', 'p+tag@xn--mnchen-3ya.de', 'p+tag@münchen.de'],
    ['email', 'P@MÜNCHEN.DE', 'p@münchen.de'],
    ['email', 'élodie@ｅｘａｍｐｌｅ.com', 'élodie@example.com'],
    ['phone', '+44 (0)20 7946-0042', '+442079460042'],
    ['phone', '0044 20.7946.0042', '+442079460042'],
    ['phone', '(555) 123-4567', '5551234567'],
    ['phone', '＋３３ １ ２３ ４５ ６７ ８９', '+33123456789'],
    ['linkedinUrl', 'https://WWW.LinkedIn.com/in/Paula-L/?trk=abc#top', 'https://www.linkedin.com/in/paula-l'],
    ['linkedinUrl', 'linkedin.com/in/paula-l/', 'https://www.linkedin.com/in/paula-l'],
    ['linkedinUrl', 'https://uk.linkedin.com/in/paula-l', 'https://www.linkedin.com/in/paula-l'],
    ['fullName', '  Paula \t Lemaire\n', 'Paula Lemaire'],
    ['address', ' 12 Rue de la Paix \r\n\r\n 75002  Paris ', '12 Rue de la Paix\n75002 Paris'],
    ['notes', 'line one\r\n\tline two', 'line one\n\tline two'],
    ['fullName', 'Ame\u0301lie', 'Amélie'],
  ])('normalises %s %j to its canonical form', (name, raw, expected) => {
    expect(ok(name, raw)).toBe(expected);
  });

  const rejected: [string, unknown, string][] = [
    ...[
      'paula',
      'paula@',
      '@lumen.example',
      'paula@@lumen.example',
      'pa ula@lumen.example',
      'paula@lumen',
      'paula@lumen.',
      'paula@.lumen.example',
      'paula..l@lumen.example',
      '.paula@lumen.example',
      'paula@-lumen.example',
      'paula@lumen_x.example',
      'paula@10.0.0.1',
      'paula@[10.0.0.1]',
      '"paula"@lumen.example',
      'paula@lumen.example\u202e',
    ].map((v): [string, unknown, string] => ['email', v, 'vault.field_invalid']),
    ...[
      '123456',
      '1234567890123456',
      '+1 555 CALL NOW',
      '++15551234567',
      '1+5551234567',
      '+44 20 7946 0042 ext 5',
      '555\u00001234567',
      '+0 20 7946 0042',
    ].map((v): [string, unknown, string] => ['phone', v, 'vault.field_invalid']),
    ...[
      'http://linkedin.com/in/paula',
      'https://linkedin.com.evil.example/in/paula',
      'https://evillinkedin.com/in/paula',
      'javascript:alert(1)//linkedin.com',
      'https://paula:secret@linkedin.com/in/paula',
      'https://www.linkedin.com/',
      'https://www.linkedin.com:8443/in/paula',
      'ftp://linkedin.com/in/paula',
      'https://www.linkedin.com/in/pa ula',
    ].map((v): [string, unknown, string] => ['linkedinUrl', v, 'vault.field_invalid']),
    ['fullName', 'Paula\u0000Lemaire', 'vault.field_invalid'],
    ['fullName', 'Paula \u202eeriameL', 'vault.field_invalid'],
    ['company', 'Lumen\u0007Corp', 'vault.field_invalid'],
    ['address', '12 Rue\u0085 de la Paix', 'vault.field_invalid'],
    ['notes', 'secret note \u001b[31m', 'vault.field_invalid'],
    ['fullName', 'Paula\ud800Lemaire', 'vault.field_invalid'],
    ['fullName', 42, 'vault.field_invalid'],
    ['fullName', '   ', 'vault.field_empty'],
    ['fullName', 'Paula '.repeat(40), 'vault.field_too_long'],
    ['notes', 'x'.repeat(1_000_000), 'vault.field_too_long'],
  ];
  it.each(rejected)(
    'rejects %s value #%# with a code and a message that does not echo the value',
    (name, raw, code) => {
      const r = normaliseField(spec(name), raw);
      expect(r).toMatchObject({ ok: false, code });
      const message = r.ok ? '' : r.message;
      expect(message.startsWith(`${spec(name).label} `)).toBe(true);
      const text = String(raw).trim();
      if (text) expect(message).not.toContain(text);
    },
  );

  it('every rejection message comes from a closed vocabulary: label + fixed reason, nothing of the value', () => {
    const reasons = [
      'must be text',
      'is empty',
      'contains invalid characters',
      'contains control characters that are not allowed',
      'is not a valid email address',
      'is not a valid phone number \\(7 to 15 digits, optional leading \\+\\)',
      'is not an https URL on linkedin\\.com',
      'is longer than \\d+ characters',
    ];
    for (const [name, raw] of rejected) {
      const r = normaliseField(spec(name), raw);
      expect(r.ok ? '' : r.message).toMatch(new RegExp(`^${spec(name).label} (?:${reasons.join('|')})\\.$`));
    }
  });

  it('searchTerms at ingest equal queryTerms of a search for the same person (case, diacritics, spacing)', () => {
    const stored = (name: string, raw: string) => searchTerms(spec(name), ok(name, raw));
    expect(queryTerms('email', '  PAULA.LEMAIRE@lumen.example')).toEqual(
      stored('email', 'Paula.Lemaire@Lumen.Example'),
    );
    expect(queryTerms('email', 'p@xn--mnchen-3ya.de')).toEqual(stored('email', 'P@München.de'));
    for (const q of ['+442079460042', '0044 20 7946 0042', '+44 (0) 20-7946-0042']) {
      expect(queryTerms('phone', q)).toEqual(stored('phone', '+44 20 7946 0042'));
    }
    const name = stored('fullName', 'Paulá  LÉMAIRE-Øster');
    expect(name).toEqual(['paula', 'lemaire', 'oster']);
    expect(queryTerms('q', 'paula lemaire')).toEqual(['paula', 'lemaire']);
    expect(queryTerms('q', '  LEMAIRE,   paulá ')).toEqual(['lemaire', 'paula']);
    expect(queryTerms('q', 'Łódź Straße')).toEqual(stored('company', 'lodz strasse'));
    expect(queryTerms('q', 'OSTER')).toEqual(['oster']);
    expect(stored('company', 'Ｌｕｍｅｎ Corp')).toEqual(queryTerms('q', 'lumen corp'));
  });

  it('tokens are distinct, at least 2 characters, at most 16; non-searchable fields give no terms', () => {
    expect(searchTerms(spec('fullName'), 'J. R. R. Tolkien tolkien')).toEqual(['tolkien']);
    const many = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    expect(searchTerms(spec('company'), many)).toHaveLength(16);
    expect(searchTerms(spec('title'), 'Chief Executive')).toEqual([]);
    expect(searchTerms(spec('notes'), 'anything at all')).toEqual([]);
    expect(searchTerms(spec('email'), 'p@lumen.example')).toEqual(['p@lumen.example']);
  });

  it('a query that cannot match gives no terms (the caller answers 400)', () => {
    expect(queryTerms('email', 'not-an-email')).toEqual([]);
    expect(queryTerms('phone', '12')).toEqual([]);
    expect(queryTerms('q', 'a - b')).toEqual([]);
    expect(queryTerms('q', 'x'.repeat(401))).toEqual([]);
  });
});
