import { useEffect } from 'react';

/**
 * Runs `reset` each time a dialog opens (not when it closes, nor on every render), so the dialog never shows what
 * its last opening left behind: typed values, a server refusal, a secret shown once.
 */
export function useResetOnOpen(opened: boolean, reset: () => void): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the opening counts, not a new `reset` each render
  useEffect(() => {
    if (opened) reset();
  }, [opened]);
}
