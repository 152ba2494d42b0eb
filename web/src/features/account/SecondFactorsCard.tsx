/*
 * ─────────────────────────────────────────────────────────────────────────────────────────────────────────
 *  SECOND FACTORS — placeholder, to be filled by the MFA work (passkeys / WebAuthn, SMS codes, recovery codes).
 *
 *  Today every account has exactly one method, the authenticator app (TOTP) set up at setup or enrolment, and
 *  `GET /api/v1/me` does not list methods; so this card states it and offers nothing to change. Replace the
 *  body of `SecondFactorsCard` (keep the card, its heading id "second-factors-heading" and the test id
 *  "second-factors") with the list of methods and their add / remove / regenerate actions.
 * ─────────────────────────────────────────────────────────────────────────────────────────────────────────
 */
import { Badge, Card, Group, Text, Title } from '@mantine/core';

export function SecondFactorsCard() {
  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      aria-labelledby="second-factors-heading"
      data-testid="second-factors"
    >
      <Title order={3} size="h4" id="second-factors-heading" mb="sm">
        Second factors
      </Title>
      <Group gap="sm">
        <Text size="sm">Authenticator app (TOTP)</Text>
        <Badge color="green" variant="light" tt="none">
          enrolled
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mt="sm">
        Asked at every sign-in, and again before privileged or confidential actions.
      </Text>
    </Card>
  );
}
