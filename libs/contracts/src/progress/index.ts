export * from './file-progress.ts';
export * from './sse.reader.ts';
