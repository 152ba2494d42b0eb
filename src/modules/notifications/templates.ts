/**
 * The closed catalogue of notices. Params are ids, enums and numbers only (DAT-05); a notice names accounts
 * by id and points to the web UI, where the reader's own permissions decide what they see.
 */
import { z } from 'zod';

export const templates = {
  'identity.account_locked': {
    params: z.strictObject({
      userId: z.uuid(),
      reason: z.enum(['failed_logins', 'inactivity', 'admin', 'detection', 'offboarding']),
      minutes: z.number().int().nullable(),
    }),
    render: (p: { userId: string; reason: string; minutes: number | null }, baseUrl: string) => ({
      subject: 'Strongroom: an account was locked',
      text: [
        `Account ${p.userId} was locked (${p.reason.replace('_', ' ')})${p.minutes ? ` for ${p.minutes} minutes` : ''}.`,
        '',
        `Review it: ${baseUrl}/users/${p.userId}`,
        '',
        'If this was you and you did not expect it, contact your security team.',
      ].join('\n'),
      short: `Account ${p.userId.slice(0, 8)} locked (${p.reason.replace('_', ' ')}). ${baseUrl}/users/${p.userId}`,
    }),
  },
  'detection.alert': {
    params: z.strictObject({
      alertId: z.uuid(),
      rule: z.string().max(80),
      title: z.string().max(120),
      severity: z.enum(['low', 'medium', 'high', 'critical']),
      repeat: z.number().int().min(0),
    }),
    render: (
      p: { alertId: string; rule: string; title: string; severity: string; repeat: number },
      baseUrl: string,
    ) => ({
      subject: `Strongroom ${p.severity.toUpperCase()} alert: ${p.title}${p.repeat ? ` (reminder ${p.repeat})` : ''}`,
      text: [
        `Detection rule ${p.rule} raised a ${p.severity} alert.`,
        '',
        `Acknowledge and review it: ${baseUrl}/alerts/${p.alertId}`,
        '',
        'This reminder repeats until someone acknowledges the alert.',
      ].join('\n'),
      short: `${p.severity.toUpperCase()} alert ${p.rule}${p.repeat ? ` (reminder ${p.repeat})` : ''}. Acknowledge: ${baseUrl}/alerts/${p.alertId}`,
    }),
  },
} as const;

export type TemplateName = keyof typeof templates;
export type TemplateParams<T extends TemplateName> = z.infer<(typeof templates)[T]['params']>;
