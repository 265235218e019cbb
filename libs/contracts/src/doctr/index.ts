export * from './doctr.requests.ts';
export * from './doctr.responses.ts';
export * from './doctr.errors.ts';
export * from './doctr.language.ts';
