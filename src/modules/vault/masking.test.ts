/**
 * Masking (DAT-03, DAT-04; api.md "Masking"): the documented formats, then property-style loops over
 * generated names, emails, phones, URLs and notes checking that nothing beyond the rule ever shows.
 */
import { describe, expect, it } from 'vitest';
import { type FieldSpec, findBuiltInField, normaliseField } from './field-catalogue.ts';
import { maskField } from './masking.ts';

const spec = (name: string) => findBuiltInField(name) as FieldSpec;
const custom: FieldSpec = {
  name: 'favouriteColour',
  kind: 'custom',
  label: 'Colour',
  searchable: false,
  maxLength: 500,
};
const mask = (name: string, raw: string) => {
  const r = normaliseField(spec(name), raw);
  if (!r.ok) throw new Error(`generator produced an invalid ${name}: ${JSON.stringify(raw)}`);
  return { value: r.value, masked: maskField(spec(name), r.value) };
};

// deterministic generator (mulberry32), so a failure reproduces
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261124);
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
const chars = (alphabet: string, min: number, max: number) =>
  Array.from({ length: int(min, max) }, () => pick([...alphabet])).join('');

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèëöüßøłçñÅÉŁ王小明اليναΣ0123456789q\u0301';
const NAME_SEPARATORS = [' ', ' ', ' ', '-', "'", '. ', ', ', ' & ', '/', ' (', ') ', '\u{1F600}', '#', '@', '*', '\n'];
const KEPT = new Set([' ', '\n', '-', "'", '’', '.', ',', '&', '/', '(', ')']);
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

describe('masking', () => {
  it('follows the documented formats', () => {
    expect(mask('fullName', 'Paula Lemaire').masked).toBe('P**** L******');
    expect(mask('fullName', "Jean-Luc O'Brien").masked).toBe("J***-L** O'B****");
    expect(mask('email', 'Paula.Lemaire@Lumen.example').masked).toBe('p***@l***.example');
    expect(mask('email', 'p@mail.lumen.co.uk').masked).toBe('p***@m***.uk');
    expect(mask('phone', '+44 20 7946 0042').masked).toBe('•••••••42');
    expect(mask('phone', '555-123-4567').masked).toBe('•••••••67');
    expect(mask('linkedinUrl', 'https://www.linkedin.com/in/paula-lemaire-4711/').masked).toBe('linkedin.com/in/p***');
    expect(mask('linkedinUrl', 'linkedin.com/feed/update/123').masked).toBe('linkedin.com/***');
    expect(mask('address', '12 Rue de la Paix\n75002 Paris').masked).toBe('1* R** d* l* P***\n7**** P****');
    expect(mask('notes', 'Met at the fair').masked).toBe('[up to 16 characters]');
    expect(mask('notes', 'x'.repeat(17)).masked).toBe('[up to 32 characters]');
    expect(maskField(custom, 'teal')).toBe('[up to 16 characters]');
    expect(maskField(spec('email'), 'legacy-without-at')).toBe('***@***');
    expect(maskField(spec('fullName'), '')).toBe('');
  });

  it.each(['fullName', 'company', 'title', 'address'])(
    '%s: only the first character of each word ever shows',
    (name) => {
      for (let n = 0; n < 500; n++) {
        const raw = Array.from({ length: int(1, 5) }, () => chars(LETTERS, 1, 12)).join(pick(NAME_SEPARATORS));
        const { value, masked } = mask(name, raw);
        const v = [...value];
        const m = [...masked];
        expect(m).toHaveLength(v.length); // word boundaries and length kept, nothing added
        let shown = 0;
        m.forEach((c, i) => {
          if (c === '*') return;
          expect(c).toBe(v[i]);
          const wordStart = isWordChar(c) && !isWordChar(v[i - 1]) && !/\p{M}/u.test(v[i - 1] ?? '');
          expect(wordStart || KEPT.has(c), `${JSON.stringify(c)} at ${i} of a ${name}`).toBe(true);
          if (wordStart) shown++;
        });
        expect(shown).toBeLessThanOrEqual(value.split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean).length);
      }
    },
  );

  it('email: only the first character of the local part and of the domain, and the top-level domain', () => {
    for (let n = 0; n < 500; n++) {
      const parts = [chars(LETTERS.slice(0, 70), 1, 10), chars('abc0123_+-', 0, 6), chars('xyz', 1, 3)];
      const local = parts.filter(Boolean).join(pick(['', '.']));
      const labels = Array.from({ length: int(1, 3) }, () => chars('abcdefghijklmnopqrstuvwxyzäö0123456789', 1, 10));
      const { value, masked } = mask('email', `${local}@${labels.join('.')}.${chars('abcdefghij', 2, 6)}`);
      const [l, domain] = value.split('@') as [string, string];
      const tld = domain.split('.').at(-1) as string;
      expect(masked).toBe(`${[...l][0]}***@${[...domain][0]}***.${tld}`);
    }
  });

  it('phone: only the last two digits, in a fixed width that hides the length', () => {
    for (let n = 0; n < 500; n++) {
      const digits = chars('0123456789', 7, 14);
      const formatted = [...digits].map((d) => d + pick(['', '', ' ', '-', '.'])).join('');
      const { value, masked } = mask('phone', `${pick(['+', ''])}1${formatted}`);
      expect(masked).toBe(`•••••••${value.slice(-2)}`);
    }
  });

  it('LinkedIn URL: the page kind and the first character of the handle; notes: a length bucket only', () => {
    for (let n = 0; n < 300; n++) {
      const handle = chars('abcdefghijklmnopqrstuvwxyz0123456789', 1, 30);
      expect(mask('linkedinUrl', `https://www.linkedin.com/in/${handle}-${int(0, 999)}/`).masked).toBe(
        `linkedin.com/in/${handle[0]}***`,
      );
      const notes = mask('notes', chars(`${LETTERS} \n.,!?`, 1, 3000).trim() || 'x');
      const [, bucket] = /^\[up to (\d+) characters\]$/.exec(notes.masked) ?? [];
      const b = Number(bucket);
      const length = [...notes.value].length;
      expect(Math.log2(b) % 1).toBe(0);
      expect(b >= 16 && b >= length && (b === 16 || b / 2 < length)).toBe(true);
    }
  });
});
