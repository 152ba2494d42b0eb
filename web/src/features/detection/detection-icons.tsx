/**
 * Icons the detection screens need beyond `components/icons.tsx` (drawn the same way: inline strokes,
 * decorative, `aria-hidden`). Candidates to move into the shared icon file.
 */
import { Icon, type IconProps } from '../../components/icons.tsx';

/** An alert: a siren light. */
export const IconSiren = (p: IconProps) => (
  <Icon {...p}>
    <path d="M7 18v-6a5 5 0 0 1 10 0v6" />
    <path d="M5 21h14v-3H5zM12 3v1M4.2 6.2l.8.8M19.8 6.2l-.8.8M2 12h1M21 12h1" />
  </Icon>
);

/** A blocked address: a no-entry sign. */
export const IconBan = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="12" cy="12" r="9" />
    <path d="M5.7 5.7l12.6 12.6" />
  </Icon>
);

/** Rules: sliders. */
export const IconSliders = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0" />
    <circle cx="16" cy="6" r="2" />
    <circle cx="10" cy="12" r="2" />
    <circle cx="18" cy="18" r="2" />
  </Icon>
);

/** Lock-down: a shield with a lock. */
export const IconShieldLock = (p: IconProps) => (
  <Icon {...p}>
    <path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6l8-3z" />
    <rect x="9" y="11" width="6" height="5" rx="1" />
    <path d="M10.5 11V9.5a1.5 1.5 0 0 1 3 0V11" />
  </Icon>
);

/** A webhook: three linked nodes. */
export const IconWebhook = (p: IconProps) => (
  <Icon {...p}>
    <path d="M18 16.9A4 4 0 1 1 14 21H8" />
    <path d="M6 16.9a4 4 0 1 1 3-7.4L12 4" />
    <path d="M12 4a4 4 0 1 1 5.3 5.8L15 14" />
  </Icon>
);

/** Replay: a clock turning back. */
export const IconHistory = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3 12a9 9 0 1 0 3-6.7L3 8" />
    <path d="M3 3v5h5M12 7v5l3 2" />
  </Icon>
);
