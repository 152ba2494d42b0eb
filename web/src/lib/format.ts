/**
 * Dates in the viewer's locale with the time zone named, so that an auditor in another zone reads the same
 * instant unambiguously. Invalid input is shown as given rather than as "Invalid Date".
 */
// Explicit fields: `dateStyle`/`timeStyle` cannot be combined with `timeZoneName` (a RangeError).
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
}

const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const timeOnly = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** The same instant split in two, for narrow table cells: `{ date: 'Nov 23, 2026', time: '01:09:01 PM UTC' }`. */
export function formatDateTimeParts(value: string | Date): { date: string; time: string } | null {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return { date: dateOnly.format(date), time: timeOnly.format(date) };
}

/** "in 7 hours", "5 minutes ago": a companion to the absolute time, never a replacement. */
export function formatRelative(value: string | Date, now: Date = new Date()): string {
  const date = value instanceof Date ? value : new Date(value);
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Number.isNaN(seconds)) return '';
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

/** Ids are long UUIDs: the first 8 characters identify one at a glance; show the whole id in a title. */
export function shortId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

/** A countdown in words: "8 min", "45 s". Rounded up, so "1 min" is shown until the last minute starts. */
export function formatTimeLeft(ms: number): string {
  if (ms <= 0) return '0 s';
  if (ms < 60_000) return `${Math.ceil(ms / 1000)} s`;
  return `${Math.ceil(ms / 60_000)} min`;
}

/**
 * `<input type="datetime-local">` speaks the viewer's local time without a zone ("2026-11-30T17:00"); the
 * server wants an instant with an offset. Empty or unreadable input gives undefined.
 */
export function localInputToIso(value: string): string | undefined {
  if (!value.trim()) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The viewer's local "YYYY-MM-DDTHH:mm" for a date: the format of `datetime-local` values and `min`. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The viewer's time zone, named in forms that take a local date and time. */
export function localTimeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
