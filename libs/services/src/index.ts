export { connectServices, type Services } from './services.connect.ts';
export { createLogger } from './logger.ts';
export { exitOnSignal } from './shutdown.ts';
