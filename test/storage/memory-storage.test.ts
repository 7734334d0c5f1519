import { memoryStorage } from '../../src/storage/memory/memory-storage';
import { describeStorageAdapter } from '../../src/testing/describe-storage-adapter';
import { describeFilterAgreement } from './support/filter-agreement-cases';

describeStorageAdapter('memory', { create: async () => memoryStorage() });
describeFilterAgreement('memory', async () => memoryStorage());
