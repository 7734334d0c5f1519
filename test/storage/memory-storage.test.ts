import { memoryStorage } from '../../src/storage/memory/memory-storage';
import { describeStorageAdapter } from '../../src/testing/describe-storage-adapter';

describeStorageAdapter('memory', { create: async () => memoryStorage() });
