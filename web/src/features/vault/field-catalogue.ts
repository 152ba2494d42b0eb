/**
 * The record fields the UI knows, in display order, with the server's labels. Mirrors the built-in catalogue
 * of `src/modules/vault/field-catalogue.ts` (which cannot be bundled: it uses `node:url`); a field the server
 * adds later is still shown, under its own name, after these.
 */
export interface RecordField {
  name: string;
  label: string;
  /** Values kept on several lines (addresses, notes). */
  multiline?: boolean;
}

export const recordFields: readonly RecordField[] = [
  { name: 'fullName', label: 'Full name' },
  { name: 'email', label: 'Email' },
  { name: 'phone', label: 'Phone' },
  { name: 'company', label: 'Company' },
  { name: 'title', label: 'Title' },
  { name: 'address', label: 'Address', multiline: true },
  { name: 'linkedinUrl', label: 'LinkedIn URL' },
  { name: 'notes', label: 'Notes', multiline: true },
];

const byName = new Map(recordFields.map((f) => [f.name, f]));

/** The columns of the masked search results. */
export const searchColumns: readonly RecordField[] = recordFields.slice(0, 5);

/** Every field of a record, catalogue order first, unknown names after (sorted), each with its label. */
export function orderedFields(values: Record<string, string>): { field: RecordField; value: string }[] {
  const known = recordFields.filter((f) => values[f.name] !== undefined);
  const unknown = Object.keys(values)
    .filter((n) => !byName.has(n))
    .sort()
    .map((name) => ({ name, label: name, multiline: true }));
  return [...known, ...unknown].map((field) => ({ field, value: values[field.name] ?? '' }));
}
