/**
 * Plausible fake people for canary records (LOG-04): drawn at random from small lists so a canary cannot be
 * told apart by its shape. Emails use reserved example domains (RFC 2606) and phones the fictional 555-01xx
 * range, so a canary can never be a real person.
 */
import { randomInt } from 'node:crypto';

const first = [
  'Alex',
  'Maria',
  'Jonas',
  'Priya',
  'Samuel',
  'Lena',
  'Omar',
  'Chloe',
  'Mateo',
  'Ingrid',
  'Kenji',
  'Aisha',
];
const last = ['Hartmann', 'Okafor', 'Lindqvist', 'Moreau', 'Kowalski', 'Fernandes', 'Nakamura', 'Brennan', 'Haddad'];
const companies = ['Northwind Analytics', 'Bluefield Logistics', 'Cedar & Stone', 'Arclight Systems', 'Meridian Foods'];
const titles = ['Head of Procurement', 'Sales Director', 'Operations Manager', 'CFO', 'IT Lead', 'Buyer'];
const domains = ['example.com', 'example.org', 'example.net'];
const areas = ['202', '312', '415', '617', '718'];

const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)] as T;

export function fakeRecordFields(): Record<string, string> {
  const f = pick(first);
  const l = pick(last);
  return {
    fullName: `${f} ${l}`,
    email: `${f}.${l}@${pick(domains)}`.toLowerCase(),
    phone: `+1${pick(areas)}55501${randomInt(10)}${randomInt(10)}`,
    company: pick(companies),
    title: pick(titles),
  };
}
