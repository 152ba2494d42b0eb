import type { TextInputProps } from '@mantine/core';
import { ActionIcon, CopyButton, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from './icons.tsx';

interface CopyFieldProps extends Omit<TextInputProps, 'value' | 'readOnly' | 'rightSection'> {
  label: string;
  value: string;
}

/** A read-only value (a secret shown once, a link) with a copy button labelled "Copy to clipboard". */
export function CopyField({ label, value, styles, ...rest }: CopyFieldProps) {
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      onFocus={(e) => e.currentTarget.select()}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' }, ...styles }}
      rightSection={
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy to clipboard'}>
              <ActionIcon variant="subtle" onClick={copy} aria-label={copied ? 'Copied' : 'Copy to clipboard'}>
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
      {...rest}
    />
  );
}
