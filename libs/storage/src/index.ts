export { createStorage, type Storage, type PutResult, type ObjectInfo } from './storage.client.ts';
export { storageConfigSchema, type StorageConfig } from './storage.config.ts';
export { StorageError, isStorageError, isStorageUnreachable, type StorageErrorCode } from './storage.errors.ts';
export { startEmbeddedS3, type EmbeddedS3, type EmbeddedS3Options } from './s3.embedded.ts';
export { storageKeys } from './storage.keys.ts';
export type { StorageUrlVerdict, StorageUrlRefusal } from './storage.url.ts';
