/** The local AWS endpoint: start it in-process, or run `npm run aws:local`. */
export type { Clock, ServiceContext, Topology } from './context.js';
export { scaledClock, virtualClock } from './context.js';
export type { CounterSnapshot } from './counters.js';
export { Counters } from './counters.js';
export type { FaultRule } from './faults.js';
export { Faults } from './faults.js';
export type { LocalAws, LocalAwsOptions } from './server.js';
export { startLocalAws } from './server.js';
export type { InstanceSeed, LocalService, Quotas } from './service.js';
export { DEFAULT_QUOTAS } from './service.js';
export { DEFAULT_CLUSTER, defaultTopology, loadTopology, parseTopology } from './topology.js';
