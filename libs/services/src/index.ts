export { connectServices, type Services } from './services.connect.ts';
export { createLogger } from './logger.ts';
export { describeFailure } from './failure.describe.ts';
export { exitOnSignal, startOrExit } from './shutdown.ts';
export {
  createMetrics,
  failureReason,
  FAILURE_REASONS,
  METRIC_STAGES,
  type FailureReason,
  type FolioMetrics,
  type MetricStage,
  type QueueDepthSource,
} from './metrics.registry.ts';
export { metricsAuthorized, startMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics.server.ts';
export { freePort } from './free-port.ts';
export { isOutage, outageOf, type OutageOf } from './outage.catalogue.ts';
