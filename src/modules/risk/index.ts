/** The risk module (IAM-14): the only file other modules import. */
export { type Factor, type Fired, indicatorSpecs, type Stage } from './indicators.ts';
export { createIpIntel, distanceKm, type IpIntel, type IpIntelSource } from './intel/ip-intel.ts';
export { type ListKind, listKinds } from './lists.ts';
export { installRiskHooks } from './risk.http.ts';
export { riskRoutes } from './risk.routes.ts';
export { createRiskService, type RiskConfig, type RiskMode, type RiskService } from './risk.service.ts';
export { type Decision, defaultPolicy, type RiskPolicy } from './scoring.ts';
