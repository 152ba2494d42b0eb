/** Time is injected so tests can freeze or move it; nothing else calls Date.now() for security decisions. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at `start` and moves only when told. */
export function manualClock(start: Date | string = '2026-11-23T12:00:00.000Z'): Clock & {
  advance(ms: number): void;
  set(at: Date | string): void;
} {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (at: Date | string) => {
      t = new Date(at).getTime();
    },
  };
}
