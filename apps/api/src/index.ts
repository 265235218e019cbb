export { startApiRuntime, type ApiRuntime } from './api.runtime.ts';
export { createApp, type AppOptions } from './app.ts';
