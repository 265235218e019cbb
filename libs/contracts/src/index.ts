export * from './canonical.ts';
