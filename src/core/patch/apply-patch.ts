/**
 * Applies resolved PATCH operations to a canonical resource document (RFC 7644 §3.5.2).
 *
 * Pure: the input document is never touched; the result is a new document that the caller
 * validates as a whole, so a request whose operations leave the resource invalid changes nothing.
 */
import * as E from 'fp-ts/Either';
import { noTarget, type ScimError } from '../errors/scim-error';
import { elementMatches } from '../filter/evaluate-filter';
import type { FilterTree } from '../filter/filter-tree';
import type { AttributeDefinition } from '../schema/attribute';
import { canonicalAttributes, isObject, type Json } from '../schema/canonicalize';
import type { TargetedOperation } from './expand-operations';
import { describeName } from '../errors/describe-name';
import { wrapBareValue } from '../quirks/bare-value';
import { unpackJsonEncodedValue } from '../quirks/json-encoded-value';
import { hasPrimary, isPrimary, keepPrimary } from '../quirks/one-primary';

const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
};

const canonicalValue = (def: AttributeDefinition, value: unknown): unknown => {
  const wrapped = def.multiValued ? unpackJsonEncodedValue(wrapBareValue(def, value)) : wrapBareValue(def, value);
  return def.type === 'complex' && isObject(wrapped) ? canonicalAttributes(def.subAttributes ?? [], wrapped) : wrapped;
};

const asList = (def: AttributeDefinition, value: unknown): unknown[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map((v) => canonicalValue(def, v));

// RFC 7643 §2.4: at most one element may be primary. An operation that sets primary true on several
// elements leaves it on the last of them, and clears it everywhere else (see quirks/one-primary.ts).
const withPrimaryFrom = (items: unknown[], written: readonly unknown[]): unknown[] => {
  const winner = [...written].reverse().find(isPrimary);
  return winner === undefined ? items : keepPrimary(items, winner);
};

const valueOf = (item: unknown) => (isObject(item) ? item.value : item);

// The element a value filter describes: `emails[type eq "work"]` seeds `{ type: "work" }`.
// Entra's "replace on a filter that matches nothing" depends on creating it.
const seedFromFilter = (filter: FilterTree): Json | null => {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.target.subAttribute) return { [filter.target.subAttribute.name]: filter.value };
  if (filter.kind !== 'and') return null;
  const parts = filter.filters.map(seedFromFilter);
  return parts.every((p) => p !== null) ? Object.assign({}, ...parts) : null;
};

type Container = Json;

const containerFor = (doc: Json, op: TargetedOperation, create: boolean): Container | null => {
  const extension = op.target.target.extension;
  if (!extension) return doc;
  const existing = doc[extension.id];
  if (isObject(existing)) return existing;
  if (!create) return null;
  const fresh: Json = {};
  doc[extension.id] = fresh;
  return fresh;
};

const setList = (container: Container, name: string, items: unknown[]) => {
  if (items.length === 0) delete container[name];
  else container[name] = items;
};

const applyFiltered = (container: Container, op: TargetedOperation, filter: FilterTree): E.Either<ScimError, void> => {
  const { attribute } = op.target.target;
  const sub = op.target.filteredSub;
  const items = Array.isArray(container[attribute.name]) ? [...(container[attribute.name] as unknown[])] : [];
  const matched = items.map((item) => elementMatches(filter, item));
  if (op.op === 'remove') {
    const kept = sub
      ? items.map((item, i) => (matched[i] && isObject(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => k !== sub.name)) : item))
      : items.filter((_, i) => !matched[i]);
    setList(container, attribute.name, kept);
    return E.right(undefined);
  }
  const patchOf = (): Json | null => {
    if (sub) return { [sub.name]: op.value };
    const v = canonicalValue(attribute, op.value);
    return isObject(v) ? v : null;
  };
  const patch = patchOf();
  if (!patch) return E.left(noTarget(`The value for ${describeName(op.path)} must be an object of ${attribute.name} sub-attributes`));
  if (!matched.includes(true)) {
    const seed = seedFromFilter(filter);
    if (!seed) return E.left(noTarget(`The filter in ${describeName(op.path)} matches nothing, and no element can be created from it`));
    const created = { ...seed, ...patch };
    setList(container, attribute.name, withPrimaryFrom([...items, created], [created]));
    return E.right(undefined);
  }
  const updated = items.map((item, i) => (matched[i] && isObject(item) ? { ...item, ...patch } : item));
  // Only an operation that writes primary true moves it; `emails[type eq "work"].value` leaves it be.
  const written = isPrimary(patch) ? updated.filter((_, i) => matched[i]) : [];
  setList(container, attribute.name, withPrimaryFrom(updated, written));
  return E.right(undefined);
};

const applySubAttribute = (container: Container, op: TargetedOperation, sub: AttributeDefinition) => {
  const { attribute } = op.target.target;
  const current = container[attribute.name];
  const write = (item: unknown): Json => {
    const base = isObject(item) ? { ...item } : {};
    if (op.op === 'remove') delete base[sub.name];
    else base[sub.name] = op.value;
    return base;
  };
  if (attribute.multiValued) {
    // `emails.value` without a filter addresses every element; `emails.primary` true keeps it on the last.
    const items = Array.isArray(current) ? current.map(write) : [];
    setList(container, attribute.name, sub.name === 'primary' && hasPrimary(attribute) ? withPrimaryFrom(items, items) : items);
    return;
  }
  const next = write(current);
  if (Object.keys(next).length === 0) delete container[attribute.name];
  else container[attribute.name] = next;
};

const applyWhole = (container: Container, op: TargetedOperation) => {
  const { attribute } = op.target.target;
  const name = attribute.name;
  if (attribute.multiValued) {
    const current = Array.isArray(container[name]) ? (container[name] as unknown[]) : [];
    const values = asList(attribute, op.value);
    if (op.op === 'remove') {
      // Entra removes members by listing them in `value`; without a value the whole attribute goes.
      const doomed = values.map(valueOf);
      setList(container, name, values.length === 0 ? [] : current.filter((item) => !doomed.some((d) => deepEqual(d, valueOf(item)))));
      return;
    }
    const base = op.op === 'replace' ? [] : current;
    const added = values.filter((v) => !base.some((existing) => deepEqual(existing, v)));
    const items = [...base, ...added];
    // A value already present counts as written too: it is the element the client named.
    const written = values.map((v) => items.find((item) => deepEqual(item, v)));
    setList(container, name, withPrimaryFrom(items, written));
    return;
  }
  if (op.op === 'remove') {
    delete container[name];
    return;
  }
  const value = canonicalValue(attribute, op.value);
  // RFC 7644 §3.5.2.3: sub-attributes not named in the value are left unchanged.
  container[name] = attribute.type === 'complex' && isObject(value) && isObject(container[name])
    ? { ...(container[name] as Json), ...value }
    : value;
};

const dropEmptyExtensions = (doc: Json, op: TargetedOperation) => {
  const extension = op.target.target.extension;
  if (extension && isObject(doc[extension.id]) && Object.keys(doc[extension.id] as Json).length === 0) delete doc[extension.id];
};

/** Applies the operations in order; the first that cannot apply fails them all. */
export const applyPatch = (doc: Json, operations: readonly TargetedOperation[]): E.Either<ScimError, Json> => {
  const next = structuredClone(doc);
  for (const op of operations) {
    const container = containerFor(next, op, op.op !== 'remove');
    if (!container) continue;
    const { filter } = op.target;
    const sub = op.target.target.subAttribute;
    if (filter) {
      const applied = applyFiltered(container, op, filter);
      if (E.isLeft(applied)) return applied;
    } else if (sub) {
      applySubAttribute(container, op, sub);
    } else {
      applyWhole(container, op);
    }
    dropEmptyExtensions(next, op);
  }
  return E.right(next);
};
