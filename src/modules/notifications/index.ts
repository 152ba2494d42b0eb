/** The notifications module: the only file other modules import. */
export { createSmtpMailer, type Mailer } from './mailer.ts';
export { createNotifications, type Notifications, type Recipients } from './notifications.service.ts';
export type { TemplateName } from './templates.ts';
