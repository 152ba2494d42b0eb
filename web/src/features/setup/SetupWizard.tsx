import { Alert, Button, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconCheck } from '../../components/icons.tsx';
import type { AccountFieldErrors, AccountValues } from './SetupAccountStep.tsx';
import { SetupAccountStep } from './SetupAccountStep.tsx';
import { SetupAlreadyDone } from './SetupAlreadyDone.tsx';
import { SetupTotpStep } from './SetupTotpStep.tsx';
import type { SetupStartResponse } from './setup.api.ts';
import { useSetupComplete, useSetupStart } from './setup.api.ts';
import { placeOfSetupError } from './setup-errors.ts';

export const tokenInvalidMessage =
  'This setup link is invalid or has already been used. Restart the server to print a new one.';

type Step = 'account' | 'totp' | 'done';
const emptyAccount: AccountValues = { email: '', name: '', password: '', confirmPassword: '' };

/** Step 1 collects the account, step 2 enrols the authenticator and creates the administrator. */
export function SetupWizard({ token, subtitle }: { token: string; subtitle: string }) {
  const [step, setStep] = useState<Step>('account');
  const [account, setAccount] = useState<AccountValues>(emptyAccount);
  const [fieldErrors, setFieldErrors] = useState<AccountFieldErrors>({});
  // Started once per visit: asking again would issue a new secret and orphan the one already scanned.
  const [enrolment, setEnrolment] = useState<SetupStartResponse | null>(null);
  const [blocking, setBlocking] = useState<{ kind: 'token' | 'already_done'; error: unknown } | null>(null);
  const start = useSetupStart();
  const complete = useSetupComplete();

  const onAccount = (values: AccountValues) => {
    setAccount(values);
    setFieldErrors({});
    if (enrolment) return setStep('totp');
    // The email only labels the entry in the authenticator app.
    start.mutate(
      { token, email: values.email },
      {
        onSuccess: (answer) => {
          setEnrolment(answer);
          setStep('totp');
        },
        onError: (error) => {
          const place = placeOfSetupError(error);
          if (place === 'token' || place === 'already_done') setBlocking({ kind: place, error });
        },
      },
    );
  };

  const onCode = (totpCode: string, onCodeError: (message: string) => void) => {
    const { email, name, password } = account;
    complete.mutate(
      { token, email, name, password, totpCode },
      {
        onSuccess: () => {
          // The secret and password are no longer needed in this page's memory.
          setEnrolment(null);
          setAccount({ ...emptyAccount, email });
          setStep('done');
        },
        onError: (error) => {
          const place = placeOfSetupError(error);
          const message = error.message;
          if (place === 'token' || place === 'already_done') setBlocking({ kind: place, error });
          else if (place === 'code') onCodeError(message);
          else if (place === 'password' || place === 'email') {
            setFieldErrors({ [place]: message });
            setStep('account');
          }
        },
      },
    );
  };

  if (blocking?.kind === 'already_done') return <SetupAlreadyDone />;
  if (blocking?.kind === 'token') {
    return (
      <AuthLayout title="Set up Strongroom" subtitle={subtitle}>
        <ErrorAlert error={blocking.error} title="Setup link not valid" message={tokenInvalidMessage} />
      </AuthLayout>
    );
  }
  if (step === 'done') {
    return (
      <AuthLayout title="Administrator created">
        <Alert color="green" variant="light" icon={<IconCheck />} title="Setup is complete" mb="lg" role="status">
          <Text size="sm">
            You can now sign in as <strong>{account.email}</strong> with your password and a code from your
            authenticator app.
          </Text>
        </Alert>
        <Button component={Link} to="/login" fullWidth>
          Go to sign-in
        </Button>
      </AuthLayout>
    );
  }
  if (step === 'totp' && enrolment) {
    return (
      <AuthLayout title="Set up your authenticator" subtitle="Step 2 of 2: two-factor authentication." width={520}>
        <SetupTotpStep
          enrolment={enrolment}
          submitting={complete.isPending}
          error={complete.error}
          onBack={() => setStep('account')}
          onSubmit={onCode}
        />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Set up Strongroom" subtitle={`${subtitle} Step 1 of 2: your account.`}>
      <SetupAccountStep
        initialValues={account}
        fieldErrors={fieldErrors}
        submitting={start.isPending}
        error={start.error}
        onSubmit={onAccount}
      />
    </AuthLayout>
  );
}
