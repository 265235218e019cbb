export { startWorkerRuntime, type WorkerRuntime, type WorkerRuntimeOptions } from './worker.runtime.ts';
