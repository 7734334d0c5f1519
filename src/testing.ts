/** Test helpers for adapter authors: `seatkit/testing`. */
export { describeStorageAdapter } from './testing/describe-storage-adapter';
export type { StorageFixture } from './testing/describe-storage-adapter';
