/**
 * Icons the second-factor screens need beyond `components/icons.tsx` (drawn the same way: inline strokes,
 * decorative, `aria-hidden`). Candidates to move into the shared icon file.
 */
import { Icon, type IconProps } from '../../components/icons.tsx';

/** An authenticator app: a phone with a code. */
export const IconDeviceCode = (p: IconProps) => (
  <Icon {...p}>
    <rect x="6" y="2.5" width="12" height="19" rx="2" />
    <path d="M9 10h1.5M11.25 10h1.5M13.5 10H15M11 18h2" />
  </Icon>
);

/** A passkey: a fingerprint. */
export const IconFingerprint = (p: IconProps) => (
  <Icon {...p}>
    <path d="M7.5 5.3A8 8 0 0 1 20 12v1" />
    <path d="M4 12a8 8 0 0 1 1.2-4.2M4.5 16a13 13 0 0 0 .5-4" />
    <path d="M8 12a4 4 0 0 1 8 0v1a14 14 0 0 1-1 5" />
    <path d="M12 12v1a18 18 0 0 1-2 8M8.5 20a22 22 0 0 0 .5-4" />
  </Icon>
);

/** A text message. */
export const IconMessage = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9l-5 4V6a1 1 0 0 1 1-1z" />
    <path d="M8 10h8M8 13h5" />
  </Icon>
);

/** Recovery codes: a sheet with lines. */
export const IconListNumbers = (p: IconProps) => (
  <Icon {...p}>
    <rect x="4" y="3" width="16" height="18" rx="2" />
    <path d="M8 8h8M8 12h8M8 16h5" />
  </Icon>
);

export const IconDownload = (p: IconProps) => (
  <Icon {...p}>
    <path d="M12 4v11M7 10l5 5 5-5" />
    <path d="M5 20h14" />
  </Icon>
);

export const IconRefresh = (p: IconProps) => (
  <Icon {...p}>
    <path d="M20 11a8 8 0 0 0-14.5-4.5L4 8" />
    <path d="M4 4v4h4M4 13a8 8 0 0 0 14.5 4.5L20 16" />
    <path d="M20 20v-4h-4" />
  </Icon>
);
