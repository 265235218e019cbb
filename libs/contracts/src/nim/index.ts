export * from './nim.requests.ts';
export * from './nim.aggregate.ts';
export * from './nim.responses.ts';
export * from './nim.errors.ts';
