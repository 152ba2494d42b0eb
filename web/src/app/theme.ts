import type { CSSVariablesResolver } from '@mantine/core';
import { Breadcrumbs, createTheme, Drawer, localStorageColorSchemeManager, Modal, Notification } from '@mantine/core';

/** Also read by public/color-scheme.js, which applies the saved scheme before React starts (no flash). */
export const colorSchemeStorageKey = 'strongroom-color-scheme';

export const colorSchemeManager = localStorageColorSchemeManager({ key: colorSchemeStorageKey });

// Shades chosen for WCAG AA: white text on indigo 7 (light) and 8 (dark) is about 5:1.
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 7, dark: 8 },
  // Picks black or white text on filled colours by luminance, so green, orange or red badges stay readable.
  autoContrast: true,
  // The machine may be offline and the CSP allows fonts from our own origin only: system fonts.
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji"',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  defaultRadius: 'md',
  components: {
    // The close buttons are icons: give them a name screen readers (and tests) can use.
    Modal: Modal.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } },
      styles: { title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } },
    }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close panel' } } }),
    // Mantine's grey for notification text and breadcrumb separators is 3.3–4:1; "dimmed" is tuned to 4.5:1+.
    Notification: Notification.extend({ styles: { description: { color: 'var(--mantine-color-dimmed)' } } }),
    Breadcrumbs: Breadcrumbs.extend({ styles: { separator: { color: 'var(--mantine-color-dimmed)' } } }),
  },
});

/**
 * Contrast fixes for WCAG AA (4.5:1 for normal text), measured in the browser:
 * - "dimmed" grey is about 3.3:1 on white and 4:1 on the dark body by default;
 * - the error red (red 6) is 3.3:1 on white, red 8 is 3.5:1 on the dark body;
 * - "light" variants (badges, alerts, active nav links) put shade 9 on shade 1/2, which is 3.6–4.1:1 for
 *   green, orange and indigo on hover; darkening the text by a quarter keeps the hue and gives about 6:1.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const lightColors: Record<string, string> = {};
  for (const name of Object.keys(t.colors)) {
    lightColors[`--mantine-color-${name}-light-color`] =
      `color-mix(in srgb, var(--mantine-color-${name}-9), black 25%)`;
  }
  return {
    variables: {},
    light: {
      ...lightColors,
      '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
      '--mantine-color-error': 'var(--mantine-color-red-9)',
    },
    dark: {
      '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
      '--mantine-color-error': 'var(--mantine-color-red-5)',
    },
  };
};
