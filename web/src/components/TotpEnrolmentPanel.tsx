import { Box, Center } from '@mantine/core';
import { QRCodeSVG } from 'qrcode.react';
import { CopyField } from './CopyField.tsx';

/** The QR code to scan and the same secret as text, for setup and for enrolment through a link. */
export function TotpEnrolmentPanel({ otpauthUrl, secret }: { otpauthUrl: string; secret: string }) {
  return (
    <>
      <Center>
        {/* Always dark on white with a quiet zone: scanners struggle with inverted or cramped codes. */}
        <Box p="xs" bg="white" style={{ borderRadius: 8, lineHeight: 0 }} data-testid="totp-qr">
          <QRCodeSVG
            value={otpauthUrl}
            size={192}
            marginSize={2}
            level="M"
            title="QR code for your authenticator app"
          />
        </Box>
      </Center>
      <CopyField label="Secret key" value={secret} styles={{ input: { letterSpacing: '0.05em' } }} />
    </>
  );
}
