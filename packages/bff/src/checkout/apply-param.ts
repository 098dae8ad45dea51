import { agentCollectApplyParam, consumeApplyParam, encryptField } from '@tsy/yunst';
import type { CheckoutMethod, MethodSettings } from '../config/config.js';
import type { ClientInfo } from '../http/client-info.js';
import { callbackUrls, type CheckoutContext } from './context.js';
import { CheckoutError, issueLines } from './errors.js';
import type { ResolvedOrder } from './hooks.js';
import { methodInfo, payMethodValue } from './methods.js';
import { maskPaymentCode } from './payment-codes.js';

/** spec §4.2.4 `summary` (≤ 20 characters) and `goodsName` (no symbols). */
const summaryOf = (subject: string) => [...subject].slice(0, 20).join('');
const goodsNameOf = (subject: string) => subject.replace(/[^\p{L}\p{N} ]/gu, '').slice(0, 64) || 'goods';

export interface ApplyInputs {
  readonly bizOrderNo: string;
  readonly merchantOrderId: string;
  readonly payerId: string;
  readonly resolved: ResolvedOrder;
  readonly method: CheckoutMethod;
  readonly settings: MethodSettings;
  readonly payMethodKey: string;
  readonly validateType: 0 | 1 | 2 | undefined;
  readonly expiresAtCst: string;
  readonly source: 1 | 2;
  readonly acct: string | undefined;
  readonly input: Record<string, string | undefined>;
  readonly client: ClientInfo;
}

export interface ApplyParam {
  readonly kind: 'consume' | 'agentCollect';
  readonly param: Record<string, unknown>;
}

/**
 * consumeApply or agentCollectApply (spec §4.2.4, §4.2.5), checked against the spec's schema before anything is stored: a
 * param the spec refuses is the merchant's configuration problem, not a payment that may or may not exist.
 */
export function buildApplyParam(ctx: CheckoutContext, a: ApplyInputs): ApplyParam {
  const { resolved, method } = a;
  const urls = callbackUrls(ctx.config);
  const value = payMethodValue(method, {
    amount: resolved.amount,
    settings: a.settings,
    input: a.input,
    ...(a.acct ? { acct: a.acct } : {}),
    consumerIp: a.client.consumerIp,
    encrypt: (plaintext) => encryptField(plaintext, ctx.platformKey),
    siteName: resolved.subject,
    siteUrl: ctx.config.publicBaseUrl,
  });
  const common = {
    bizOrderNo: a.bizOrderNo,
    payerId: a.payerId,
    amount: resolved.amount,
    backUrl: urls.backUrl,
    ...(methodInfo(method).outcome === 'front' ? { frontUrl: urls.frontUrl } : {}),
    orderExpireDatetime: a.expiresAtCst,
    payMethod: { [a.payMethodKey]: value },
    ...(a.validateType === undefined ? {} : { validateType: a.validateType }),
    ...(method === 'WECHATPAY_APP_OPEN' ? { goodsName: goodsNameOf(resolved.subject) } : {}),
    ...(resolved.goodsDesc ? { goodsDesc: resolved.goodsDesc } : {}),
    industryCode: ctx.config.industryCode,
    industryName: ctx.config.industryName,
    source: a.source,
    summary: summaryOf(resolved.subject),
    // Support staff find the merchant's order from the platform's records by it (echoed back, max 50 characters).
    ...(a.merchantOrderId.length <= 50 ? { extendInfo: a.merchantOrderId } : {}),
  };
  const [kind, schema, param] = resolved.recieverList
    ? (['agentCollect', agentCollectApplyParam, { ...common, recieverList: [...resolved.recieverList], tradeCode: resolved.tradeCode ?? ctx.config.tradeCode, fee: resolved.fee ?? 0 }] as const)
    : ([
        'consume',
        consumeApplyParam,
        { ...common, recieverId: resolved.recieverId ?? ctx.config.defaultRecieverId, fee: resolved.fee ?? 0, ...(resolved.splitRule ? { splitRule: [...resolved.splitRule] } : {}) },
      ] as const);
  const checked = schema.safeParse(param);
  if (!checked.success) {
    ctx.log('error', 'the apply would not satisfy the spec', { bizOrderNo: a.bizOrderNo, method, issues: issueLines(checked.error) });
    throw new CheckoutError(500, 'config', { zh: '商户支付配置有误', en: 'The merchant’s payment configuration is invalid' });
  }
  return { kind, param };
}

/** 6228 48** **** 4214 → `622848******4214`: what a receipt shows, never enough to pay with. */
export function maskCardNumber(cardNo: string): string {
  return cardNo.length <= 10 ? '*'.repeat(cardNo.length) : `${cardNo.slice(0, 6)}${'*'.repeat(cardNo.length - 10)}${cardNo.slice(-4)}`;
}

/**
 * The copy of the signed request kept as evidence. Card data is not kept at rest (even encrypted, the merchant holds no key
 * to it, and a leaked database must not carry it): `cvv2` is blanked in every form, `validate` (the expiry) too, and the card
 * number and a payment code (`authcode`) are replaced by their masked forms. The signature in the copy no longer verifies over it — the platform already checked
 * the original, and the answer is the evidence of what the platform did.
 */
export function storedRequestCopy(req: string, input: Record<string, string | undefined>): string {
  if (!input.bankCardNo && !input.cvv2 && !input.validate && !input.authcode) return req;
  const parsed = JSON.parse(req) as { param?: { payMethod?: Record<string, unknown> } };
  for (const value of Object.values(parsed.param?.payMethod ?? {})) {
    for (const entry of Array.isArray(value) ? value : [value]) {
      if (!entry || typeof entry !== 'object') continue;
      const fields = entry as Record<string, unknown>;
      if ('cvv2' in fields) fields.cvv2 = '';
      if ('validate' in fields) fields.validate = '';
      if ('bankCardNo' in fields && input.bankCardNo) fields.bankCardNo = maskCardNumber(input.bankCardNo);
      if ('authcode' in fields && input.authcode) fields.authcode = maskPaymentCode(input.authcode);
    }
  }
  return JSON.stringify(parsed);
}
