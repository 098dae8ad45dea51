import type { MethodGroup, MethodView } from '../api/types.js';

export type { MethodGroup };

/** The picker's groups, in the order they are shown. Which group a method is in is the BFF's decision (`MethodView.group`). */
export const METHOD_GROUPS: readonly MethodGroup[] = ['wechat', 'alipay', 'unionpay', 'bank', 'balance', 'other'];

/**
 * Groups the methods in {@link METHOD_GROUPS} order, keeping the BFF's order inside a group; only groups with methods, and
 * each method key once (the first wins). A group this version does not know is shown as `other`; entries that are not
 * method views are dropped.
 */
export function groupMethods(methods: readonly MethodView[] | null | undefined): { group: MethodGroup; methods: MethodView[] }[] {
  const byGroup = new Map<MethodGroup, MethodView[]>();
  const seen = new Set<string>();
  for (const view of methods ?? []) {
    if (!view || typeof view.method !== 'string' || seen.has(view.method)) continue;
    seen.add(view.method);
    const group = METHOD_GROUPS.includes(view.group) ? view.group : 'other';
    const list = byGroup.get(group);
    if (list) list.push(view);
    else byGroup.set(group, [view]);
  }
  return METHOD_GROUPS.filter((group) => byGroup.has(group)).map((group) => ({ group, methods: byGroup.get(group)! }));
}
