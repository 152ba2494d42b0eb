import type { ButtonProps } from '@mantine/core';
import { Badge, Button } from '@mantine/core';
import type { ComponentPropsWithoutRef, ReactNode } from 'react';
import { useAccess } from '../../app/permissions.ts';
import { openElevationDialog } from './elevation-store.ts';

type NativeButtonProps = Omit<ComponentPropsWithoutRef<'button'>, keyof ButtonProps | 'children'>;

interface PrivilegedButtonProps extends ButtonProps, NativeButtonProps {
  /** The permission the action needs; the button is hidden when the person does not hold it at all. */
  permission: string;
  children: ReactNode;
  /** Shown in the elevation dialog when the permission is asleep, e.g. "Creating a user needs elevation." */
  elevationHint?: string;
}

/**
 * A button for an action that needs a permission. Held and in force: the action. Held but dormant (privileged,
 * IAM-09): the button says "needs elevation" and opens the elevation dialog instead. Not held: nothing.
 */
export function PrivilegedButton({ permission, children, elevationHint, onClick, ...rest }: PrivilegedButtonProps) {
  const { access } = useAccess();
  const held = access(permission);
  if (held === 'none') return null;
  if (held === 'dormant') {
    return (
      <Button
        {...rest}
        variant="default"
        miw="max-content"
        onClick={() => openElevationDialog(elevationHint)}
        rightSection={
          <Badge size="sm" color="orange" variant="light" tt="none">
            needs elevation
          </Badge>
        }
      >
        {children}
      </Button>
    );
  }
  return (
    <Button {...rest} onClick={onClick}>
      {children}
    </Button>
  );
}

/** The red, compact action at the end of a table row (delete, revoke, lift a block): a privileged button all the same. */
export function PrivilegedRowAction(props: PrivilegedButtonProps) {
  return <PrivilegedButton size="compact-sm" variant="subtle" color="red" {...props} />;
}
