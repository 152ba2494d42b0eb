import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ColorSchemeToggle } from '../app/ColorSchemeToggle.tsx';
import { IconShield } from './icons.tsx';

interface AuthLayoutProps {
  title: string;
  subtitle?: ReactNode;
  width?: number;
  children: ReactNode;
}

/** The frame of the pages used without a session (sign-in, first setup): one centred card. */
export function AuthLayout({ title, subtitle, width = 440, children }: AuthLayoutProps) {
  return (
    <Center mih="100vh" p="md" component="main">
      <title>{title.includes('Strongroom') ? title : `${title} · Strongroom`}</title>
      <Stack w="100%" maw={width} gap="md">
        <Group justify="space-between">
          <Group gap={8}>
            <IconShield size={28} color="var(--mantine-primary-color-filled)" />
            <Text fw={700} fz="xl">
              Strongroom
            </Text>
          </Group>
          <ColorSchemeToggle />
        </Group>
        <Paper withBorder shadow="sm" p="xl">
          <Box mb="lg">
            <Title order={1} size="h2">
              {title}
            </Title>
            {subtitle && (
              <Text c="dimmed" size="sm" mt={4}>
                {subtitle}
              </Text>
            )}
          </Box>
          {children}
        </Paper>
      </Stack>
    </Center>
  );
}
