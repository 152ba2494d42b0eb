import type { PasswordInputProps } from '@mantine/core';
import { PasswordInput } from '@mantine/core';
import type { ReactNode } from 'react';

const toggleProps = { 'aria-label': 'Show typed text' };

/** A password field whose show/hide button is named for screen readers. */
export function PasswordField(props: PasswordInputProps) {
  return <PasswordInput visibilityToggleButtonProps={toggleProps} {...props} />;
}

interface NewPasswordFieldsProps {
  label?: string;
  confirmLabel?: string;
  /** Under the first field, e.g. the password policy. */
  description: ReactNode;
  /** The form's props for each field (`form.getInputProps(…)`). */
  password: PasswordInputProps;
  confirm: PasswordInputProps;
}

/** A new password and its confirmation, both marked "new-password" for password managers. */
export function NewPasswordFields({
  label = 'Password',
  confirmLabel = 'Confirm password',
  description,
  password,
  confirm,
}: NewPasswordFieldsProps) {
  return (
    <>
      <PasswordField
        label={label}
        autoComplete="new-password"
        description={description}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        {...password}
      />
      <PasswordField label={confirmLabel} autoComplete="new-password" {...confirm} />
    </>
  );
}
