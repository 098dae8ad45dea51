import { COLLECTION_TRADE_CODES, GOODS_TYPES, INDUSTRY_CODES, PLATFORM_PLACEHOLDER, RESERVE_ACCOUNT_SET_NO, SOURCES, VALIDATE_TYPES } from './dictionaries.js';
import { PAY_METHOD_TABLES } from './pay-methods.js';
import type { ArrayField, CrossFieldRule, FieldTable, MethodTable, ObjectField, SpecProblem, StringField } from './types.js';

/* OrderService request tables (spec §4.2), the `param` rows. */

/** "yyyy-MM-dd HH:mm:ss" (orderExpireDatetime's 取值 column). Whether it is a real time in the future is an order rule. */
const DATETIME = { pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, what: 'yyyy-MM-dd HH:mm:ss' };

/** jumpUrl/frontUrl/backUrl: "所有地址参数不要包含"#"" (spec §3.3). */
const address = (section: string, required: boolean, more: Partial<StringField> = {}): StringField => ({
  section: `${section}, §3.3`,
  type: 'String',
  required,
  address: true,
  ...more,
});

/** The methods whose confirm step is a front page: "前台交易时必填 … 小通网关模式必传 收银宝网关必传" (frontUrl). */
const FRONT_METHODS = ['GATEWAY_VSP', 'ALLINPAY_WALLET_H5', 'InstallmentPayment_H5'] as const;

const payMethod: ObjectField = {
  section: '§4.2.4 L2284, §4.2.5 L2397, §5.2',
  type: 'JSONObject',
  required: true,
  keyed: PAY_METHOD_TABLES,
};

/** §5.3 分账规则: one entry, nesting the next level in splitRuleList (the getter lets the table refer to itself). */
const splitRuleEntry: ObjectField = {
  section: '§5.3 L4169',
  type: 'JSONObject',
  required: true,
  fields: {
    bizUserId: { section: '§5.3 L4173', type: 'String', required: true, platformPlaceholder: true },
    // "如果向会员分账,不上送 … 如果向平台分账,请填写平台的标准账户集编号 (不支持 100003)": the platform case is a rule below;
    // sending one for a member is read as allowed (the text says what the default is, not that sending it is an error).
    accountSetNo: { section: '§5.3 L4175', type: 'String', required: false },
    amount: { section: '§5.3 L4178', type: 'Long', required: true, min: 0 },
    fee: { section: '§5.3 L4179', type: 'Long', required: true, min: 0 },
    remark: { section: '§5.3 L4180', type: 'String', required: false, maxChars: 50 },
    get splitRuleList(): ArrayField {
      return { section: '§5.3 L4184', type: 'JSONArray', required: false, items: splitRuleEntry };
    },
  },
};

/** The rows consumeApply and agentCollectApply share, with the same 必填 and 取值 in both tables. */
function applyRows(section: string, lines: Record<string, number>): FieldTable {
  const s = (name: string) => `${section} L${lines[name]}`;
  return {
    bizOrderNo: { section: s('bizOrderNo'), type: 'String', required: true },
    payerId: { section: s('payerId'), type: 'String', required: true },
    // "单位:分", and note 6 of §4.2.1 caps it at 9223372036854775807. A zero-fen order pays nothing: refused (strict choice;
    // the spec names no minimum).
    amount: { section: s('amount'), type: 'Long', required: true, min: 1 },
    validateType: { section: `${s('validateType')}, §6.16`, type: 'Long', required: false, values: VALIDATE_TYPES },
    frontUrl: address(s('frontUrl'), false, { requiredWithPayMethods: FRONT_METHODS }),
    backUrl: address(s('backUrl'), true),
    orderExpireDatetime: { section: s('orderExpireDatetime'), type: 'String', required: false, format: DATETIME },
    payMethod,
    goodsType: { section: `${s('goodsType')}, §6.4`, type: 'Long', required: false, values: GOODS_TYPES },
    bizGoodsNo: { section: s('bizGoodsNo'), type: 'String', required: false },
    goodsName: {
      section: s('goodsName'),
      type: 'String',
      required: false,
      requiredWithPayMethods: ['WECHATPAY_APP_OPEN'],
      note: '"注:符号不支持" names no set of symbols; not checked (the sandbox cannot tell which the platform refuses).',
    },
    goodsDesc: { section: s('goodsDesc'), type: 'String', required: false },
    industryCode: { section: `${s('industryCode')}, §6.12`, type: 'String', required: true, values: INDUSTRY_CODES },
    industryName: {
      section: `${s('industryName')}, §6.12`,
      type: 'String',
      required: true,
      note: 'Whether the name must be §6.12\'s name for the code is not said; only its presence is checked.',
    },
    source: { section: `${s('source')}, §6.5`, type: 'Long', required: true, values: SOURCES },
    summary: { section: s('summary'), type: 'String', required: false, maxChars: 20 },
    extendInfo: { section: s('extendInfo'), type: 'String', required: false, maxChars: 50 },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const methodValue = (param: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> | undefined => {
  const payMethodValue = param.payMethod;
  return isObject(payMethodValue) && isObject(payMethodValue[key]) ? payMethodValue[key] : undefined;
};
const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/** GATEWAY_VSP: "gateid 不为空时,该域只能上送 "B2C" 或者 "B2B"" (§5.2 L3780). */
const gatewayPaytype: CrossFieldRule = {
  section: '§5.2 L3780',
  check(param) {
    const gateway = methodValue(param, 'GATEWAY_VSP');
    if (!gateway || !present(gateway.gateid) || gateway.paytype === 'B2C' || gateway.paytype === 'B2B') return undefined;
    return { code: '10000', field: 'payMethod.GATEWAY_VSP.paytype', reason: 'gateid 不为空时只能上送 B2C 或 B2B' };
  },
};

/** QUICKPAY_TLT: validate and cvv2 are both "信用卡必填" — a credit card sends both, a debit card neither (§5.2 L3786–3787). */
const creditCardPair: CrossFieldRule = {
  section: '§5.2 L3786–3787',
  check(param) {
    const tlt = methodValue(param, 'QUICKPAY_TLT');
    if (!tlt || present(tlt.validate) === present(tlt.cvv2)) return undefined;
    const missing = present(tlt.validate) ? 'cvv2' : 'validate';
    return { code: '10001', field: `payMethod.QUICKPAY_TLT.${missing}`, reason: '信用卡 validate 与 cvv2 必填' };
  },
};

const MAX_SPLIT_LEVELS = 3;
const MAX_SPLIT_MEMBERS = 10;

/**
 * splitRule: "分账层级数<=3,分账总会员数<=10" (§4.2.4 L2265), and a split to the platform names the platform's standard
 * account set, not 100003 (§5.3 L4175). "总会员数" is counted as entries over all levels (the platform's entry included):
 * the stricter of the two readings.
 */
const splitRuleLimits: CrossFieldRule = {
  section: '§4.2.4 L2265, §5.3',
  check(param) {
    if (!Array.isArray(param.splitRule)) return undefined;
    let members = 0;
    let problem: SpecProblem | undefined;
    const walk = (list: readonly unknown[], level: number, path: string) => {
      if (level > MAX_SPLIT_LEVELS) problem ??= { code: '10000', field: path, reason: `分账层级数不能超过 ${MAX_SPLIT_LEVELS}` };
      list.forEach((entry, i) => {
        if (!isObject(entry)) return;
        members += 1;
        const at = `${path}[${i}]`;
        if (entry.bizUserId === PLATFORM_PLACEHOLDER) {
          if (!present(entry.accountSetNo)) problem ??= { code: '10001', field: `${at}.accountSetNo`, reason: '向平台分账须填写平台的标准账户集编号' };
          else if (entry.accountSetNo === RESERVE_ACCOUNT_SET_NO) problem ??= { code: '10000', field: `${at}.accountSetNo`, reason: '不支持 100003 准备金额度账户集' };
        }
        if (Array.isArray(entry.splitRuleList)) walk(entry.splitRuleList, level + 1, `${at}.splitRuleList`);
      });
    };
    walk(param.splitRule, 1, 'splitRule');
    if (members > MAX_SPLIT_MEMBERS) problem ??= { code: '10000', field: 'splitRule', reason: `分账总会员数不能超过 ${MAX_SPLIT_MEMBERS}` };
    return problem;
  },
};

export const consumeApply: MethodTable = {
  section: '§4.2.4 L2227',
  param: {
    ...applyRows('§4.2.4', {
      bizOrderNo: 2257,
      payerId: 2250,
      amount: 2258,
      validateType: 2263,
      frontUrl: 2269,
      backUrl: 2273,
      orderExpireDatetime: 2274,
      goodsType: 2285,
      bizGoodsNo: 2286,
      goodsName: 2287,
      goodsDesc: 2288,
      industryCode: 2289,
      industryName: 2290,
      source: 2291,
      summary: 2292,
      extendInfo: 2293,
    }),
    // "如果是平台,参数值为:#yunBizUserId_B2C#" — the one payee field that may name the platform.
    recieverId: { section: '§4.2.4 L2253', type: 'String', required: true, platformPlaceholder: true },
    fee: { section: '§4.2.4 L2259', type: 'Long', required: true, min: 0 },
    splitRule: { section: '§4.2.4 L2265, §5.3', type: 'JSONArray', required: false, items: splitRuleEntry },
  },
  rules: [gatewayPaytype, creditCardPair, splitRuleLimits],
};

export const agentCollectApply: MethodTable = {
  section: '§4.2.5 L2328',
  param: {
    ...applyRows('§4.2.5', {
      bizOrderNo: 2347,
      payerId: 2348,
      amount: 2360,
      validateType: 2367,
      frontUrl: 2369,
      backUrl: 2372,
      orderExpireDatetime: 2373,
      goodsType: 2353,
      bizGoodsNo: 2354,
      goodsName: 2399,
      goodsDesc: 2401,
      industryCode: 2405,
      industryName: 2406,
      source: 2407,
      summary: 2408,
      extendInfo: 2409,
    }),
    // §5.8: payees are members ("目标收款人 recieverList.bizUserId", §4.1.3 note 1); the platform placeholder is not offered.
    recieverList: {
      section: '§4.2.5 L2351, §5.8',
      type: 'JSONArray',
      required: true,
      maxItems: 2000,
      items: {
        section: '§5.8 L4426',
        type: 'JSONObject',
        required: true,
        fields: {
          bizUserId: { section: '§5.8 L4430', type: 'String', required: true },
          amount: { section: '§5.8 L4432', type: 'Long', required: true, min: 0 },
        },
      },
    },
    tradeCode: { section: '§4.2.5 L2356, §6.11', type: 'String', required: true, values: COLLECTION_TRADE_CODES },
    fee: { section: '§4.2.5 L2362', type: 'Long', required: false, min: 0 },
  },
  rules: [gatewayPaytype, creditCardPair],
};

export const pay: MethodTable = {
  section: '§4.2.8 L2586',
  param: {
    // "若平台,上送固定值:#yunBizUserId_B2C#".
    bizUserId: { section: '§4.2.8 L2601', type: 'String', required: true, platformPlaceholder: true },
    bizOrderNo: { section: '§4.2.8 L2603', type: 'String', required: true },
    tradeNo: { section: '§4.2.8 L2605', type: 'String', required: false },
    verificationCode: { section: '§4.2.8 L2606', type: 'String', required: true },
    // "用户公网 IP 用于分控校验 注:不能使用"127.0.0.1""localhost"".
    consumerIp: { section: '§4.2.8 L2607', type: 'String', required: true, forbidden: ['127.0.0.1', 'localhost'] },
  },
};

export const resendPaySMS: MethodTable = {
  section: '§4.2.25 L3457',
  param: { bizOrderNo: { section: '§4.2.25 L3476', type: 'String', required: true } },
};

export const getOrderDetail: MethodTable = {
  section: '§4.2.19 L3148',
  param: { bizOrderNo: { section: '§4.2.19 L3162', type: 'String', required: true } },
};

/** §4.2.16: "此字段总金额=amount-feeAmount" (refundList), couponAmount and feeAmount "不得超过退款总金额". */
const refundAmounts: CrossFieldRule = {
  section: '§4.2.16 L3002, L3036–3043',
  check(param) {
    const amount = param.amount as number;
    const feeAmount = typeof param.feeAmount === 'number' ? param.feeAmount : 0;
    if (typeof param.couponAmount === 'number' && param.couponAmount > amount) return { code: '10000', field: 'couponAmount', reason: '不得超过退款总金额' };
    if (feeAmount > amount) return { code: '10000', field: 'feeAmount', reason: '不得超过退款总金额' };
    if (!Array.isArray(param.refundList)) return undefined;
    const listed = param.refundList.reduce((total: number, entry) => total + ((entry as { amount: number }).amount ?? 0), 0);
    if (listed !== amount - feeAmount) return { code: '10000', field: 'refundList', reason: `总金额应为 amount − feeAmount (${amount - feeAmount}), 实为 ${listed}` };
    return undefined;
  },
};

export const refund: MethodTable = {
  section: '§4.2.16 L2957',
  param: {
    bizOrderNo: { section: '§4.2.16 L2988', type: 'String', required: true },
    oriBizOrderNo: { section: '§4.2.16 L2989', type: 'String', required: true },
    // "必须是原订单中的付款方 如果是平台,参数值为:#yunBizUserId_B2C#".
    bizUserId: { section: '§4.2.16 L2991', type: 'String', required: true, platformPlaceholder: true },
    // "默认 D1 … D0" — and §7 has a code of its own for any other value (L5414).
    refundType: { section: '§4.2.16 L2994, §7 L5414', type: 'String', required: false, values: ['D1', 'D0'], valuesCode: '40023' },
    refundList: {
      section: '§4.2.16 L3002, §5.9',
      type: 'JSONArray',
      required: false,
      // "注: 最多支持 100 个".
      maxItems: 100,
      items: {
        section: '§5.9 L4434',
        type: 'JSONObject',
        required: true,
        fields: {
          accountSetNo: { section: '§5.9 L4437', type: 'String', required: false },
          bizUserId: { section: '§5.9 L4441', type: 'String', required: true },
          // "金额": a zero share refunds nothing (strict choice, as for apply amounts).
          amount: { section: '§5.9 L4442', type: 'Long', required: true, min: 1 },
        },
      },
    },
    backUrl: address('§4.2.16 L3032', false),
    // "单位:分。不得超过原订单金额": a zero refund gives nothing back (strict choice).
    amount: { section: '§4.2.16 L3034', type: 'Long', required: true, min: 1 },
    couponAmount: { section: '§4.2.16 L3036', type: 'Long', required: false, min: 0 },
    feeAmount: { section: '§4.2.16 L3040', type: 'Long', required: false, min: 0 },
    extendInfo: {
      section: '§4.2.16 L3044',
      type: 'String',
      required: false,
      note: 'The refund table gives extendInfo no length (the applies say 50); only the shared schema caps it.',
    },
  },
  rules: [refundAmounts],
};
