export * from './failure.catalogue.ts';
export * from './failure.messages.ts';
export * from './failure.stored.ts';
