import { engineOptionsSchema, type EngineOptions, type ResolvedEngineOptions } from './engine.options.ts';
import { resolveExecutionProviders, type SessionConfig } from './onnx/session.options.ts';

/** The session settings of an engine's options (one mapping shared by every entry point). */
export function sessionConfigOf(
  o: Pick<ResolvedEngineOptions, 'executionProviders' | 'threads' | 'interOpThreads' | 'graphOptimizationLevel' | 'deviceId'>,
): SessionConfig {
  return {
    executionProviders: o.executionProviders,
    intraOpThreads: o.threads,
    interOpThreads: o.interOpThreads,
    graphOptimizationLevel: o.graphOptimizationLevel,
    deviceId: o.deviceId,
  };
}

/**
 * The options with `executionProviders` narrowed to those that load in this process (see
 * `resolveExecutionProviders`): call it once before opening engines or a pool, so a provider that
 * cannot load is reported in one `warn` line instead of once per session and engine thread.
 */
export async function withUsableProviders<T extends EngineOptions>(options: T, warn: (message: string) => void): Promise<T & { executionProviders: string[] }> {
  const o = engineOptionsSchema.parse(options);
  const executionProviders = await resolveExecutionProviders(sessionConfigOf(o), warn);
  return { ...options, executionProviders };
}
