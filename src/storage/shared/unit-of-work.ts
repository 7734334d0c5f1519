/**
 * Builds a {@link UnitOfWork} from a reader and a commit function.
 */
import type { ChangeSet, TenantReader, UnitOfWork } from '../../ports/storage-adapter';

const READER_METHODS = [
  'tenant', 'getUser', 'getUsers', 'findUserByUserName', 'listUsers', 'getGroup', 'listGroups', 'groupMembers',
  'membersAmong', 'groupsOfUsers', 'getAssignments', 'seatCounts', 'oldestPending', 'oldestDegraded', 'licenseSeq', 'licensePhase',
  'dueReleases', 'seatHolders', 'ledger', 'undeliveredEvents',
] as const satisfies readonly (keyof TenantReader)[];

// A reader method missing from the list above fails to compile here.
type Missing = Exclude<keyof TenantReader, (typeof READER_METHODS)[number]>;
const complete: Missing extends never ? true : never = true;

/** Binds the reader's methods and adds `commit`; a second commit in one unit is a programming error. */
export const unitOfWork = (reader: TenantReader, commit: (changes: ChangeSet) => Promise<void>): UnitOfWork => {
  void complete;
  let committed = false;
  const bound = Object.fromEntries(READER_METHODS.map((m) => [m, (reader[m] as (...a: unknown[]) => unknown).bind(reader)]));
  return {
    ...(bound as unknown as TenantReader),
    commit: async (changes) => {
      if (committed) throw new Error('A unit of work commits once');
      committed = true;
      await commit(changes);
    },
  };
};
