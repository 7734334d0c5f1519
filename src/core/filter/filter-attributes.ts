/**
 * Which top-level attributes a filter reads, so an adapter can skip building what it never looks at
 * (a group's members, above all, when the filter only names its displayName).
 */
import type { FilterTree } from './filter-tree';

/** True when the filter reads the core attribute `name` anywhere in its tree. */
export const filterReads = (filter: FilterTree, name: string): boolean => {
  switch (filter.kind) {
    case 'compare':
    case 'present':
    case 'valuePath':
      return !filter.target.extension && filter.target.attribute.name === name;
    case 'not':
      return filterReads(filter.filter, name);
    default:
      return filter.filters.some((f) => filterReads(f, name));
  }
};
