import { useCallback, useEffect, useRef, useState } from 'react';
import { isStepUpRequired } from '../mfa/mfa.api.ts';

/** What a screen renders (a `StepUpPanel`) while the server waits for a fresh second factor. */
export interface StepUpPrompt {
  onConfirmed: () => void;
  onCancel: () => void;
}

/** The person closed the step-up instead of confirming: the action did not happen, and nothing is wrong. */
export class StepUpCancelled extends Error {
  constructor() {
    super('The confirmation was cancelled.');
    this.name = 'StepUpCancelled';
  }
}

export const isStepUpCancelled = (e: unknown): e is StepUpCancelled => e instanceof StepUpCancelled;

/**
 * Runs an action; when the server answers 403 `auth.step_up_required`, shows the step-up (the screen renders
 * `prompt` as a `StepUpPanel`) and, once confirmed, runs the action again, once. Cancelling rejects with
 * `StepUpCancelled`. The server decides when a confirmation is too old, so nothing is guessed here.
 */
export function useStepUpRetry() {
  const [prompt, setPrompt] = useState<StepUpPrompt | null>(null);
  const pending = useRef<StepUpPrompt | null>(null);

  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (!isStepUpRequired(error)) throw error;
      await new Promise<void>((resolve, reject) => {
        const next: StepUpPrompt = {
          onConfirmed: () => {
            pending.current = null;
            setPrompt(null);
            resolve();
          },
          onCancel: () => {
            pending.current = null;
            setPrompt(null);
            reject(new StepUpCancelled());
          },
        };
        pending.current = next;
        setPrompt(next);
      });
      return action();
    }
  }, []);

  /** Ends a waiting step-up as cancelled (e.g. the dialog holding it was closed). */
  const cancel = useCallback(() => pending.current?.onCancel(), []);

  // A screen that goes away must not leave a promise waiting forever.
  useEffect(() => () => pending.current?.onCancel(), []);

  return { run, prompt, cancel };
}
