/**
 * In-process event bus. The audit module publishes every committed security event here so that the
 * detection engine (and anything else) sees exactly what the audit log records, after commit.
 * Listeners must not throw into the publisher: a failing listener is logged and the others still run.
 */
export type Listener<T> = (event: T) => void | Promise<void>;

export interface EventBus<T> {
  /** Runs every listener; resolves when all have finished. A failing listener never rejects the publisher. */
  publish(event: T): Promise<void>;
  subscribe(listener: Listener<T>): () => void;
}

export function createEventBus<T>(onListenerError: (err: unknown) => void): EventBus<T> {
  const listeners = new Set<Listener<T>>();
  return {
    async publish(event) {
      const running: Promise<void>[] = [];
      for (const l of listeners) {
        try {
          const r = l(event);
          if (r && typeof (r as Promise<void>).then === 'function')
            running.push((r as Promise<void>).catch(onListenerError));
        } catch (err) {
          onListenerError(err);
        }
      }
      await Promise.all(running);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
