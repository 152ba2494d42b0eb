/** The detection module: the only file other modules import. */
export { type Alerts, createAlerts } from './alerts.service.ts';
export { type Blocklist, createBlocklist, DECISIONS_CHANNEL } from './blocklist.ts';
export { detectionRoutes } from './detection.routes.ts';
export { createDetectionEngine } from './engine.ts';
export { defaultRules, type Rule } from './rules.ts';
