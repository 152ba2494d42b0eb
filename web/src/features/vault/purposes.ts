/** Why a record is revealed (`purpose` of `POST /records/:id/reveal`); the values are the server's. */
export const revealPurposes = [
  {
    value: 'customer_request',
    label: 'Customer request',
    description: 'The data owner or one of its customers asked about this record.',
  },
  { value: 'data_quality', label: 'Data quality', description: 'Checking or correcting the record.' },
  { value: 'legal', label: 'Legal', description: 'A legal obligation, a court order or counsel’s request.' },
  {
    value: 'security_investigation',
    label: 'Security investigation',
    description: 'Investigating an incident or an alert that involves this record.',
  },
  {
    value: 'data_subject_request',
    label: 'Data-subject request',
    description: 'The person the record is about asked to see, correct or delete their data.',
  },
] as const;

export type RevealPurpose = (typeof revealPurposes)[number]['value'];

export const purposeLabel = (value: string): string => revealPurposes.find((p) => p.value === value)?.label ?? value;

export const MIN_JUSTIFICATION = 10;
export const MAX_JUSTIFICATION = 2000;
