import { useSyncExternalStore } from 'react';

/**
 * Whether the elevation dialog is open, and why. Any screen (or the "needs elevation" notification) can open
 * it; the one dialog lives in the app frame.
 */
export interface ElevationDialogState {
  opened: boolean;
  /** What the person was trying to do, e.g. "Creating a user needs elevation." */
  hint?: string;
}

let state: ElevationDialogState = { opened: false };
const listeners = new Set<() => void>();

function set(next: ElevationDialogState) {
  state = next;
  for (const listener of listeners) listener();
}

export const openElevationDialog = (hint?: string) => set({ opened: true, hint });
export const closeElevationDialog = () => set({ opened: false });

export function useElevationDialog(): ElevationDialogState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
