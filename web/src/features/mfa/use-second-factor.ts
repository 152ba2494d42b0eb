import { useId, useRef, useState } from 'react';
import { isApiError } from '../../lib/api-client.ts';
import type { MfaMethod, MfaOptionsAnswer, PreparedMethod, SecondFactor } from './mfa.api.ts';
import { knownMethods, retryAfterSeconds } from './mfa.api.ts';
import { getPasskeyAssertion, isPasskeyCeremonyError } from './passkeys.ts';

/** Something to tell the person beside the inputs: a cancelled prompt, a rate limit, a refusal. */
export interface FactorProblem {
  kind: 'cancelled' | 'rate_limited' | 'refused' | 'error';
  title: string;
  message?: string;
  /** Kept for the request id when the server said no in an unexpected way. */
  error?: unknown;
}

export interface SecondFactorOptions {
  /** The methods the account has (login answer, or `/me`); unknown names are ignored. */
  methods: readonly string[] | undefined;
  /** Sign-in or step-up: changes a few words only. */
  context: 'sign-in' | 'step-up';
  /** Passkey options, or "send the SMS code" (`/auth/mfa/options` or `/auth/step-up/options`). */
  prepare: (method: PreparedMethod) => Promise<MfaOptionsAnswer>;
  /** Gives the factor to the server (`/auth/mfa` or `/auth/step-up`); rejects with the server's error. */
  verify: (factor: SecondFactor) => Promise<void>;
  /** Errors the host deals with itself (e.g. `auth.challenge_expired` at sign-in): return true when handled. */
  onError?: (error: unknown) => boolean;
  /** Called after `verify` resolved, whichever way the factor was given (a button here, or the host's submit). */
  onVerified?: (method: MfaMethod) => void;
}

export type SecondFactorController = ReturnType<typeof useSecondFactor>;

const codeRules: Record<Exclude<MfaMethod, 'webauthn'>, { test: (v: string) => boolean; hint: string }> = {
  totp: { test: (v) => /^\d{6}$/.test(v), hint: 'Enter the 6-digit code shown by your app.' },
  sms: { test: (v) => /^\d{6}$/.test(v), hint: 'Enter the 6-digit code from the text message.' },
  recovery_code: {
    test: (v) => /^[0-9a-z]{12}$/i.test(v.replace(/[\s-]/g, '')),
    hint: 'A recovery code has 12 letters and digits, like 7k3m-q9x2-h4tp.',
  },
};

const refusedCode: Record<Exclude<MfaMethod, 'webauthn'>, string> = {
  totp: 'That code is not valid. Enter the current code from your app.',
  sms: 'That code is not correct, has expired or was already used. Check the latest text message, or send a new code.',
  recovery_code: 'That recovery code is not valid or was already used. Each code works once.',
};

/** The first method in the server's order is the default: the authenticator app when the account has one. */
function defaultMethod(methods: readonly MfaMethod[]): MfaMethod {
  return methods[0] ?? 'totp';
}

/**
 * The state of "give a second factor", shared by the sign-in page, the elevation dialog and the inline
 * step-up: which method is in use, the code typed, whether an SMS was sent and until when another may be
 * asked for, and what went wrong. The host decides what happens once the server accepted the factor.
 */
export function useSecondFactor(opts: SecondFactorOptions) {
  const methods = knownMethods(opts.methods);
  const available = methods.length > 0 ? methods : (['totp'] as MfaMethod[]);
  const [method, setMethod] = useState<MfaMethod>(() => defaultMethod(available));
  const [code, setCodeState] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [problem, setProblem] = useState<FactorProblem | null>(null);
  const [smsExpiresAt, setSmsExpiresAt] = useState<string | null>(null);
  const [smsRetryAt, setSmsRetryAt] = useState<number | null>(null);
  const [busy, setBusy] = useState<'passkey' | 'sms' | 'verify' | null>(null);
  const codeFieldId = useId();
  // The host's latest callbacks: an action started before a re-render still calls the current ones.
  const latest = useRef(opts);
  latest.current = opts;
  const busyRef = useRef(false);

  const focusCode = () => window.setTimeout(() => document.getElementById(codeFieldId)?.focus(), 0);

  /** Turns a refusal into words, unless the host takes it. */
  const report = (error: unknown, m: MfaMethod, sending = false) => {
    if (latest.current.onError?.(error)) return;
    const wait = retryAfterSeconds(error);
    if (wait !== undefined) {
      setSmsRetryAt(Date.now() + wait * 1000);
      setProblem({
        kind: 'rate_limited',
        title: 'Wait before asking for another code',
        message: 'Too many text messages were asked for in a short time.',
      });
      return;
    }
    if (isPasskeyCeremonyError(error)) {
      setProblem({
        kind: error.reason === 'cancelled' ? 'cancelled' : 'error',
        title: error.reason === 'cancelled' ? 'Passkey not used' : 'Passkey not available',
        message: error.message,
      });
      return;
    }
    if (isApiError(error) && error.code === 'auth.mfa_invalid') {
      if (m === 'webauthn') {
        setProblem({
          kind: 'refused',
          title: 'The passkey was not accepted',
          message: 'Try again with a passkey registered for this account, or choose another way.',
        });
      } else {
        setCodeState('');
        setCodeError(refusedCode[m]);
        focusCode();
      }
      return;
    }
    if (isApiError(error) && error.code === 'mfa.method_unavailable') {
      setProblem({
        kind: 'refused',
        title: 'Not set up for this account',
        message: 'This way of confirming is not set up for your account any more. Choose another way.',
        error,
      });
      return;
    }
    setProblem({
      kind: 'error',
      title: sending ? 'Could not send the code' : 'Could not confirm',
      error,
    });
  };

  const run = async (what: 'passkey' | 'sms' | 'verify', fn: () => Promise<void>): Promise<boolean> => {
    if (busyRef.current) return false;
    busyRef.current = true;
    setBusy(what);
    try {
      await fn();
      return true;
    } finally {
      busyRef.current = false;
      setBusy(null);
    }
  };

  const verify = async (factor: SecondFactor) => {
    await latest.current.verify(factor);
    latest.current.onVerified?.(factor.method);
  };

  const sendSms = async (): Promise<boolean> => {
    setProblem(null);
    setCodeError(null);
    let sent = false;
    await run('sms', async () => {
      try {
        const answer = await latest.current.prepare('sms');
        setSmsExpiresAt(answer.expiresAt ?? new Date(Date.now() + 5 * 60_000).toISOString());
        // The server allows one text every 30 s: say so on the resend button rather than after a refusal.
        setSmsRetryAt(Date.now() + 30_000);
        setCodeState('');
        sent = true;
        focusCode();
      } catch (error) {
        report(error, 'sms', true);
      }
    });
    return sent;
  };

  const startPasskey = async (): Promise<boolean> => {
    setProblem(null);
    setCodeError(null);
    let ok = false;
    await run('passkey', async () => {
      try {
        const answer = await latest.current.prepare('webauthn');
        if (!answer.options) throw new Error('The server sent no passkey options.');
        const response = await getPasskeyAssertion(answer.options);
        await verify({ method: 'webauthn', response });
        ok = true;
      } catch (error) {
        report(error, 'webauthn');
      }
    });
    return ok;
  };

  /** Switches method; a passkey starts at once and an SMS is sent at once (each button says so). */
  const choose = (next: MfaMethod) => {
    setMethod(next);
    setProblem(null);
    setCodeError(null);
    setCodeState('');
    if (next === 'webauthn') void startPasskey();
    else if (next === 'sms' && !smsExpiresAt) void sendSms();
    else focusCode();
  };

  /** The host's submit: checks the code's shape, then gives it to the server. True once accepted. */
  const submit = async (): Promise<boolean> => {
    if (method === 'webauthn') return startPasskey();
    if (method === 'sms' && !smsExpiresAt) {
      setCodeError('Press "Text me a code" first; the code arrives by text message.');
      return false;
    }
    const typed = code.trim();
    const rule = codeRules[method];
    if (!rule.test(typed)) {
      setCodeError(rule.hint);
      focusCode();
      return false;
    }
    setProblem(null);
    setCodeError(null);
    let ok = false;
    await run('verify', async () => {
      try {
        await verify({ method, code: typed });
        ok = true;
      } catch (error) {
        report(error, method);
      }
    });
    return ok;
  };

  const reset = () => {
    setMethod(defaultMethod(available));
    setCodeState('');
    setCodeError(null);
    setProblem(null);
    setSmsExpiresAt(null);
    setSmsRetryAt(null);
  };

  return {
    context: opts.context,
    methods: available,
    method,
    code,
    setCode: (v: string) => {
      setCodeState(v);
      if (codeError) setCodeError(null);
    },
    codeError,
    problem,
    smsExpiresAt,
    smsRetryAt,
    busy,
    codeFieldId,
    /** A code is what the host's submit button gives (not a passkey, nor an SMS not sent yet). */
    wantsCode: method !== 'webauthn' && !(method === 'sms' && !smsExpiresAt),
    choose,
    sendSms,
    startPasskey,
    submit,
    reset,
  };
}
