export * from './review.requests.ts';
export * from './review.responses.ts';
export * from './review.schemas.ts';
export * from './review.words.ts';
