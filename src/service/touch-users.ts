/**
 * Users whose SCIM form a write changes without writing them: their license (tier, status) or
 * their `groups`. Their version and modify time must move with it (RFC 7644 §3.14), or an IdP's
 * If-None-Match would be answered 304 for a user whose seat or groups have changed.
 */
import type { ChangeSet } from '../ports/storage-adapter';

/** The change set, with every user it changes but does not write marked to have its version raised. */
export const withTouches = (changes: ChangeSet, at: string, groupsChangedFor: readonly string[] = []): ChangeSet => {
  const written = new Set([...(changes.putUsers ?? []).map((u) => u.id), ...(changes.deleteUsers ?? [])]);
  const changed = new Set([
    ...(changes.appendLedger ?? []).map((line) => line.userId),
    ...(changes.addMembers ?? []).map((m) => m.userId),
    ...(changes.removeMembers ?? []).map((m) => m.userId),
    ...groupsChangedFor,
  ]);
  const ids = [...changed].filter((id) => !written.has(id));
  return ids.length > 0 ? { ...changes, touchUsers: { ids, at } } : changes;
};
