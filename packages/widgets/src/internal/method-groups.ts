import type { ClientEnvironment, MethodView, UnusableReason } from '../api/types.js';

/** How the picker groups methods, in the order the groups are shown. */
export const METHOD_GROUPS = ['wechat', 'alipay', 'unionpay', 'bank', 'balance', 'other'] as const;
export type MethodGroup = (typeof METHOD_GROUPS)[number];

/** Methods whose key does not say which group they are in. */
const GROUP_OF_KEY: Readonly<Record<string, MethodGroup>> = {
  GATEWAY_VSP: 'bank',
  QUICKPAY_VSP: 'bank',
  QUICKPAY_TLT: 'bank',
  REALNAMEPAY: 'bank',
  REALNAMEPAY_BATCH: 'bank',
  MOBILEAPPPAY_VSP: 'bank',
  BALANCE: 'balance',
  COUPON: 'balance',
  ALLINPAY_WALLET_H5: 'balance',
};

/** A method's group: its wallet when the BFF names one (QQ has no group of its own), else read from its payMethod key. */
export function methodGroup(view: Pick<MethodView, 'method' | 'wallet'>): MethodGroup {
  switch (view.wallet) {
    case 'wechat':
    case 'alipay':
    case 'unionpay':
      return view.wallet;
    case 'qq':
      return 'other';
  }
  const key = view.method.replace(/_ORG$/, '');
  const known = GROUP_OF_KEY[key];
  if (known) return known;
  if (/WEIXIN|WECHAT/.test(key)) return 'wechat';
  if (/ALIPAY/.test(key)) return 'alipay';
  if (/UNIONPAY/.test(key)) return 'unionpay';
  if (/QUICKPAY|GATEWAY|REALNAME/.test(key)) return 'bank';
  return 'other';
}

/**
 * Groups the methods in {@link METHOD_GROUPS} order, keeping the BFF's order inside a group; only groups with methods, and
 * each method key once (the first wins). Entries that are not method views are dropped.
 */
export function groupMethods(methods: readonly MethodView[] | null | undefined): { group: MethodGroup; methods: MethodView[] }[] {
  const byGroup = new Map<MethodGroup, MethodView[]>();
  const seen = new Set<string>();
  for (const view of methods ?? []) {
    if (!view || typeof view.method !== 'string' || seen.has(view.method)) continue;
    seen.add(view.method);
    const group = methodGroup(view);
    const list = byGroup.get(group);
    if (list) list.push(view);
    else byGroup.set(group, [view]);
  }
  return METHOD_GROUPS.filter((group) => byGroup.has(group)).map((group) => ({ group, methods: byGroup.get(group)! }));
}

/**
 * Why a method cannot be used in this environment, when the BFF said it is unusable without saying why: the
 * environment rules of the BFF (checkout/methods.ts `unusableReason`), minus the payer-account one the page cannot see.
 */
export function environmentReason(method: string, environment: ClientEnvironment): UnusableReason | undefined {
  switch (method.replace(/_ORG$/, '')) {
    case 'WECHAT_PUBLIC':
    case 'WECHATPAY_PUBLIC_OPEN':
      return environment === 'wechat' ? undefined : 'open_in_wechat';
    case 'ALIPAY_SERVICE':
      return environment === 'alipay' ? undefined : 'open_in_alipay';
    case 'WECHATPAY_H5_OPEN':
      return environment === 'desktop' || environment === 'wechat' ? 'open_on_mobile' : undefined;
    case 'QQ_WALLET':
      return environment === 'desktop' ? 'open_on_mobile' : undefined;
    case 'WECHATPAY_MINIPROGRAM':
    case 'WECHATPAY_APP_OPEN':
    case 'ALIPAY_APP_OPEN':
    case 'MOBILEAPPPAY_VSP':
      return 'app_only';
    case 'CODEPAY_VSP':
      return environment === 'desktop' ? undefined : 'desktop_only';
    default:
      return undefined;
  }
}
