export * from './mistral.requests.ts';
export * from './mistral.pages.ts';
export * from './mistral.schemas.ts';
export * from './mistral.files.ts';
export * from './mistral.ocr.ts';
export * from './mistral.errors.ts';
export * from './mistral.export.ts';
