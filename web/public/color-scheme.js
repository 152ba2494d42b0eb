// Runs before the app bundle so that a dark-mode visitor never sees a white flash. It does what Mantine's
// ColorSchemeScript would do, but as a file, because the CSP (script-src 'self') forbids inline scripts.
// The key must match `colorSchemeStorageKey` in src/app/theme.ts.
(() => {
  let scheme = 'auto';
  try {
    const saved = window.localStorage.getItem('strongroom-color-scheme');
    if (saved === 'light' || saved === 'dark' || saved === 'auto') scheme = saved;
  } catch {
    // Storage can be blocked (private mode, policies): fall back to the system preference.
  }
  if (scheme === 'auto') scheme = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.setAttribute('data-mantine-color-scheme', scheme);
})();
