/** The detection module: the only file other modules import. */
export { createRedisCounter, type SharedCounter } from './activity.ts';
export { type Alerts, createAlerts } from './alerts.service.ts';
export { type Blocklist, createBlocklist, DECISIONS_CHANNEL } from './blocklist.ts';
export { detectionRoutes } from './detection.routes.ts';
export { createDetection, type Detection, type DetectionWiring, latestCheckpoint } from './detection.ts';
export { createDetectionEngine } from './engine.ts';
export { defaultRules, type Rule } from './rules.ts';
