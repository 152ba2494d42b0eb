import type { TableProps } from '@mantine/core';
import { Table, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A column heading: its label, or the label with `ta` to align it (a number column on the right) or `hidden` to
 * leave it to screen readers (a column of row actions).
 */
export type ListTableColumn = string | { label: string; ta?: 'left' | 'center' | 'right'; hidden?: boolean };

interface ListTableProps extends Omit<TableProps, 'children' | 'data'> {
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  /** Read by screen readers only, e.g. "Alert webhooks, newest first". */
  caption?: string;
  columns: readonly ListTableColumn[];
  /** The rows (`Table.Tr`). */
  children: ReactNode;
}

/**
 * The table of a list page: scrolls sideways on narrow screens, names its columns (`scope="col"`) and, where
 * given, carries a caption for screen readers. Rows 6 px apart unless `verticalSpacing` says otherwise.
 */
export function ListTable({ minWidth, caption, columns, children, ...tableProps }: ListTableProps) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table verticalSpacing={6} {...tableProps}>
        {caption && (
          <caption>
            <VisuallyHidden>{caption}</VisuallyHidden>
          </caption>
        )}
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <Table.Th key={c} scope="col">
                  {c}
                </Table.Th>
              ) : (
                <Table.Th key={c.label} scope="col" ta={c.ta}>
                  {c.hidden ? <VisuallyHidden>{c.label}</VisuallyHidden> : c.label}
                </Table.Th>
              ),
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
