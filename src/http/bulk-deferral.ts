/**
 * Breaking a circle of bulkId references at a Group's members (RFC 7644 §3.7.1: the service
 * provider MUST try to resolve circular references within one bulk request). The group is created
 * without its members, and they are added once the users they wait for are created, so a group and
 * a user that refer to each other are both created.
 */
import { isObject, type Json } from '../core/schema/canonicalize';

const REFERENCE = /^bulkId:(.+)$/;

const membersKeyOf = (data: Json) => Object.keys(data).find((key) => key.toLowerCase() === 'members');

/** The bulkId a member refers to, as `{ "value": "bulkId:ada" }` or a bare "bulkId:ada". */
export const memberReference = (member: unknown): string | null => {
  const value = isObject(member) ? member.value : member;
  const match = typeof value === 'string' ? REFERENCE.exec(value) : null;
  return match ? match[1]! : null;
};

const membersIn = (data: unknown): unknown[] => {
  if (!isObject(data)) return [];
  const key = membersKeyOf(data);
  const members = key === undefined ? undefined : data[key];
  return Array.isArray(members) ? members : [];
};

/** The bulkIds that the members of a Group body refer to. */
export const memberReferences = (data: unknown): string[] =>
  membersIn(data).map(memberReference).filter((ref): ref is string => ref !== null);

export interface HeldMembers {
  /** The body without its members. */
  readonly data: Json;
  /** The members held back, as sent. */
  readonly held: readonly unknown[];
}

/**
 * Holds back every member when one refers to a bulkId not created yet (`waiting`); null when none
 * does. All of them, not only the waiting ones: a group created empty changes nobody's license, so
 * removing it again when a reference fails leaves every seat where it was.
 */
export const holdBackMembers = (data: unknown, waiting: (bulkId: string) => boolean): HeldMembers | null => {
  if (!isObject(data)) return null;
  const members = membersIn(data);
  const waits = members.some((member) => {
    const ref = memberReference(member);
    return ref !== null && waiting(ref);
  });
  if (!waits) return null;
  return { data: { ...data, [membersKeyOf(data)!]: [] }, held: members };
};
