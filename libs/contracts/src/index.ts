export * from './canonical.ts';
export * from './common/errors.ts';
export * from './common/data-url.ts';
export * from './common/query.ts';
export {
  type Bounds,
  boundsOf,
  quadBounds,
  pixelBox,
  normalizePoint,
  imageOrderQuad,
  toUprightPoint,
  toUprightQuad,
  uprightSize,
} from './common/geometry.ts';
export * from './nanonets/index.ts';
export * from './mistral/index.ts';
export * from './nim/index.ts';
export * from './doctr/index.ts';
export * from './openapi.ts';
export * from './review/index.ts';
export * from './progress/index.ts';
export * from './webhooks/index.ts';
export * from './failures/index.ts';
