export * from './webhook.payload.ts';
export * from './webhook.signature.ts';
