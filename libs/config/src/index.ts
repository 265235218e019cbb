export { loadConfig, type Config, configSchema } from './config.ts';
