export * from './file-progress.ts';
