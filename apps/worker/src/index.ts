export { startWorkerRuntime, type WorkerRuntime } from './worker.runtime.ts';
