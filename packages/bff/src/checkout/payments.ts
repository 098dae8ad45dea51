import { randomBytes } from 'node:crypto';
import type { MethodView, OrderView, PaymentView } from '@tsy/contract';
import type { Request } from 'express';
import type { ClientInfo } from '../http/client-info.js';
import { z } from 'zod';
import { CHECKOUT_METHODS, type CheckoutMethod, type MethodSettings } from '../config/config.js';
import { publicState, isOpen, type PaymentFact } from '../payments/state-machine.js';
import type { MerchantOrderRecord, PaymentRecord } from '../store/types.js';
import { encryptField, YunstFormatError, YunstPlatformError, buildGatewayPayForm, buildPasswordPayForm, type FrontPageForm, type YunstExchange, agentCollectApplyParam, consumeApplyParam, type YunstResult, formatCstTimestamp } from '@tsy/yunst';
import { actionFor, maskPhone, SMS_RESEND_AFTER_SECONDS, type FrontPage, type PaymentAction, type StoredAction } from './actions.js';
import { callbackUrls, type CheckoutContext } from './context.js';
import { CheckoutError, fromYunstError, notFound, validationError } from './errors.js';
import type { ResolvedOrder } from './hooks.js';
import { Members } from './members.js';
import type { Reconciler } from './reconciliation.js';
import { applyTransition } from './transitions.js';
import {
  clientEnvironment,
  maxExpiryMinutes,
  methodInfo,
  methodGroup,
  methodInputSchema,
  payMethodKeyFor,
  payMethodValue,
  unusableReason,
  validateTypeFor,
} from './methods.js';

export type { MethodView, OrderView, PaymentView };

const resolvedOrderSchema = z.object({
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  fee: z.number().int().nonnegative().optional(),
  subject: z.string().min(1).max(200),
  goodsDesc: z.string().max(256).optional(),
  payer: z.object({ bizUserId: z.string().min(1).max(64), acct: z.record(z.string(), z.string()).optional() }),
  recieverId: z.string().min(1).optional(),
  splitRule: z.array(z.record(z.string(), z.unknown())).optional(),
  recieverList: z.array(z.object({ bizUserId: z.string().min(1), amount: z.number().int().nonnegative() })).min(1).optional(),
  tradeCode: z.string().optional(),
  paid: z.boolean().optional(),
});

const createPaymentBody = z.looseObject({ method: z.enum(CHECKOUT_METHODS) });

/** Payment order numbers: sortable by time, unique across instances, well under the platform's length limits. */
function newBizOrderNo(now: Date): string {
  return `TSY${formatCstTimestamp(now).replace(/\D/g, '')}${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** spec §4.2.4 `summary` (≤ 20 characters) and `goodsName` (no symbols). */
const summaryOf = (subject: string) => [...subject].slice(0, 20).join('');
const goodsNameOf = (subject: string) => subject.replace(/[^\p{L}\p{N} ]/gu, '').slice(0, 64) || 'goods';

export class Payments {
  readonly members: Members;

  constructor(
    private readonly ctx: CheckoutContext,
    private readonly reconciler: Reconciler,
  ) {
    this.members = new Members(ctx);
  }

  private now(): Date {
    return this.ctx.clock();
  }

  private methodSettings(method: CheckoutMethod): MethodSettings | undefined {
    const settings = this.ctx.config.methods[method];
    return settings?.enabled ? settings : undefined;
  }

  /** Asks the merchant what the order is, and checks the answer: a broken hook must not become a broken payment. */
  async resolve(merchantOrderId: string, req: Request): Promise<{ resolved: ResolvedOrder; order: MerchantOrderRecord }> {
    const raw = await this.ctx.hooks.resolveOrder(merchantOrderId, req);
    if (raw === undefined) throw notFound({ zh: '订单', en: 'Order' });
    const checked = resolvedOrderSchema.safeParse(raw);
    if (!checked.success) {
      this.ctx.log('error', 'resolveOrder returned an invalid order', { merchantOrderId, issues: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      throw new CheckoutError(500, 'merchant_order_invalid', { zh: '商户订单信息有误', en: 'The merchant’s order is invalid' });
    }
    const resolved = checked.data as ResolvedOrder;
    if (resolved.recieverList) {
      const sum = resolved.recieverList.reduce((total, entry) => total + entry.amount, 0) + (resolved.fee ?? 0);
      if (sum !== resolved.amount) throw new CheckoutError(500, 'merchant_order_invalid', { zh: '收款人金额之和与订单金额不符', en: 'The payees’ amounts do not add up to the order amount' });
    }
    const order = await this.ctx.store.upsertMerchantOrder({
      merchantOrderId,
      amount: resolved.amount,
      currency: 'CNY',
      subject: resolved.subject,
      payerBizUserId: resolved.payer.bizUserId,
    });
    return { resolved, order };
  }

  async describeOrder(merchantOrderId: string, req: Request, client: ClientInfo): Promise<OrderView> {
    const { resolved, order } = await this.resolve(merchantOrderId, req);
    const environment = clientEnvironment(client.userAgent);
    const methods: MethodView[] = [];
    for (const method of CHECKOUT_METHODS) {
      if (!this.methodSettings(method)) continue;
      const reason = unusableReason(method, environment, { acct: resolved.payer.acct ?? {} });
      const wallet = methodInfo(method).wallet;
      methods.push({ method, usable: reason === undefined, ...(reason ? { reason } : {}), ...(wallet ? { wallet } : {}), group: methodGroup(method) });
    }
    const member = await this.ctx.store.getMember(resolved.payer.bizUserId);
    let open = await this.ctx.store.findOpenPayment(merchantOrderId);
    if (open) open = await this.reconciler.refreshIfDue(open);
    const current = open && isOpen(open.state) && open.action ? this.view(open, client) : null;
    const paid = Boolean(order.paidBizOrderNo) || resolved.paid === true;
    return {
      merchantOrderId,
      amount: order.amount,
      currency: 'CNY',
      subject: order.subject,
      paid,
      paidBizOrderNo: order.paidBizOrderNo,
      serverTime: this.now().toISOString(),
      environment,
      methods,
      payer: { phoneBound: member ? (member.phone ? true : member.userId ? false : null) : false, phone: maskPhone(member?.phone) },
      currentPayment: current && !paid ? { bizOrderNo: current.bizOrderNo, state: current.state, action: current.action, expiresAt: current.expiresAt, method: current.method } : null,
    };
  }

  /** What the API shows of a payment; a front-page form is signed here, for this client, at this moment. */
  view(payment: PaymentRecord, client: ClientInfo): PaymentView {
    const stored = payment.action as StoredAction | null;
    let action: PaymentAction | null = stored as PaymentAction | null;
    if (stored?.type === 'form-post') {
      const form = this.frontForm(payment, stored.page, client.consumerIp);
      action = { type: 'form-post', action: form.action, fields: { ...form.fields } };
    }
    return {
      bizOrderNo: payment.bizOrderNo,
      merchantOrderId: payment.merchantOrderId,
      state: publicState(payment.state),
      method: payment.method,
      amount: payment.amount,
      expiresAt: payment.expiresAt,
      action,
      failure: payment.state === 'failed' ? { code: payment.failureCode, message: payment.failureMessage } : null,
      settlement: payment.state === 'success' ? (payment.doublePayment ? 'double_paid' : 'paid') : null,
      serverTime: this.now().toISOString(),
    };
  }

  async getPayment(bizOrderNo: string): Promise<PaymentRecord> {
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    if (!payment) throw notFound({ zh: '支付单', en: 'Payment' });
    return payment;
  }

  /** The payment as it is now, asking the platform first when it is open and was not asked recently. */
  async paymentView(bizOrderNo: string, client: ClientInfo): Promise<PaymentView> {
    return this.view(await this.reconciler.refreshIfDue(await this.getPayment(bizOrderNo)), client);
  }

  async createPayment(merchantOrderId: string, req: Request, body: unknown, client: ClientInfo, idempotencyKey: string | undefined): Promise<PaymentView> {
    const parsedBody = createPaymentBody.safeParse(body);
    if (!parsedBody.success) throw validationError(parsedBody.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    const { method, ...rest } = parsedBody.data;
    const settings = this.methodSettings(method);
    if (!settings) throw new CheckoutError(422, 'method_not_enabled', { zh: '商户未开通该支付方式', en: 'This payment method is not enabled for the shop' });
    // The method's input schema keeps only its own fields: an amount or a payee sent by the browser is dropped here.
    const input = methodInputSchema(method).safeParse(rest);
    if (!input.success) throw validationError(input.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));

    if (idempotencyKey) {
      const earlier = await this.ctx.store.findPaymentByIdempotencyKey(merchantOrderId, idempotencyKey);
      if (earlier) return this.repeated(earlier, method, client);
    }

    const { resolved, order } = await this.resolve(merchantOrderId, req);
    if (order.paidBizOrderNo || resolved.paid) {
      throw new CheckoutError(409, 'order_paid', { zh: '订单已支付', en: 'The order is already paid' }, order.paidBizOrderNo ? { bizOrderNo: order.paidBizOrderNo } : {});
    }
    const environment = clientEnvironment(client.userAgent);
    const reason = unusableReason(method, environment, { acct: resolved.payer.acct ?? {} });
    if (reason) throw new CheckoutError(422, 'method_unavailable', { zh: '当前环境无法使用该支付方式', en: 'This payment method cannot be used here' }, { details: { reason } });

    const source = environment === 'desktop' ? 2 : 1;
    const payerId = resolved.payer.bizUserId;
    const member = await this.members.ensure(payerId, source);
    const info = methodInfo(method);
    const acct = info.acctType ? resolved.payer.acct?.[info.acctType] : undefined;
    if (info.acctType && acct) await this.members.ensureAcct(payerId, info.acctType, acct);
    else if (member.userId && !member.phone) {
      // A member this kit created and never bound a phone for: the platform would answer 30021; say it usefully instead.
      throw new CheckoutError(409, 'payer_phone_required', { zh: '请先绑定手机号', en: 'Bind a phone number before paying' });
    }

    // The whole apply is built and checked before anything is stored: a param the spec refuses is the merchant's
    // configuration problem, not a payment that may or may not exist.
    const now = this.now();
    const bizOrderNo = newBizOrderNo(now);
    const expiresAt = new Date(now.getTime() + Math.min(this.ctx.config.paymentExpiryMinutes, maxExpiryMinutes(method)) * 60_000);
    const expiresAtCst = formatCstTimestamp(expiresAt);
    const payMethodKey = payMethodKeyFor(method, settings);
    const validateType = validateTypeFor(method, settings);
    const apply = this.applyParam({ bizOrderNo, merchantOrderId, payerId, resolved, method, settings, payMethodKey, validateType, expiresAtCst, source, acct, input: input.data, client });

    let payment: PaymentRecord;
    try {
      payment = await this.ctx.store.insertPayment({
        bizOrderNo,
        merchantOrderId,
        kind: apply.kind,
        method,
        payMethodKey,
        amount: resolved.amount,
        fee: resolved.fee ?? 0,
        payerBizUserId: payerId,
        expiresAt: expiresAt.toISOString(),
        expiresAtCst,
        environment: this.ctx.config.environment,
        sysid: this.ctx.config.sysid,
        idempotencyKey: idempotencyKey ?? null,
      });
    } catch (error) {
      // Two requests with one Idempotency-Key raced: the loser answers with the winner's attempt.
      const earlier = idempotencyKey && (await this.ctx.store.findPaymentByIdempotencyKey(merchantOrderId, idempotencyKey));
      if (earlier) return this.repeated(earlier, method, client);
      throw error;
    }

    let exchange: YunstExchange<YunstResult<'OrderService', 'consumeApply'>>;
    try {
      exchange =
        apply.kind === 'agentCollect'
          ? await this.ctx.yunst.exchange('OrderService', 'agentCollectApply', apply.param as never)
          : await this.ctx.yunst.exchange('OrderService', 'consumeApply', apply.param as never);
    } catch (error) {
      if (error instanceof YunstPlatformError) {
        await applyTransition(this.ctx, payment, { fact: { type: 'failed', source: 'apply', code: error.errorCode, message: error.platformMessage } });
        if (error.errorCode === '30021') throw new CheckoutError(409, 'payer_phone_required', { zh: '请先绑定手机号', en: 'Bind a phone number before paying' }, { yunstCode: '30021', bizOrderNo });
        throw fromYunstError(error, bizOrderNo);
      }
      // No verified answer: the order may or may not exist at the platform. It stays `created`; reconciliation finds out.
      this.ctx.log('warn', 'apply without a verified answer', { bizOrderNo, error: error instanceof Error ? error.message : String(error) });
      throw fromYunstError(error, bizOrderNo);
    }

    // What the platform answered is kept before anything else can go wrong with it.
    const answer = exchange.result;
    await this.ctx.store.patchPayment(bizOrderNo, { orderNo: answer.orderNo, responseRaw: exchange.responseBody, requestRaw: exchange.request.req });
    let action: StoredAction;
    try {
      action = actionFor(answer, { method, validateType, payerPhone: member.phone });
    } catch (error) {
      this.ctx.log('error', 'the apply answer lacks what its method returns', { bizOrderNo, error: error instanceof Error ? error.message : String(error) });
      throw fromYunstError(error instanceof YunstFormatError ? error : new YunstFormatError(String(error)), bizOrderNo);
    }
    payment = await applyTransition(this.ctx, payment, { fact: { type: 'accepted', source: 'apply' }, patch: { action }, evidence: exchange.responseBody });
    if (answer.payStatus === 'success') {
      payment = await applyTransition(this.ctx, payment, { fact: { type: 'succeeded', source: 'apply' }, evidence: exchange.responseBody });
    } else if (answer.payStatus === 'fail') {
      payment = await applyTransition(this.ctx, payment, { fact: { type: 'failed', source: 'apply', message: answer.payFailMessage ?? '' }, evidence: exchange.responseBody });
    }
    return this.view(payment, client);
  }

  /** A retried create with the same Idempotency-Key: the same attempt, unless it asks for something else. */
  private repeated(earlier: PaymentRecord, method: CheckoutMethod, client: ClientInfo): PaymentView {
    if (earlier.method !== method) {
      throw new CheckoutError(422, 'idempotency_conflict', { zh: '该幂等键已用于其他支付方式', en: 'This Idempotency-Key was used for another payment method' }, { bizOrderNo: earlier.bizOrderNo });
    }
    return this.view(earlier, client);
  }

  /** consumeApply or agentCollectApply (spec §4.2.4, §4.2.5), checked against the spec's schema. */
  private applyParam(a: {
    bizOrderNo: string;
    merchantOrderId: string;
    payerId: string;
    resolved: ResolvedOrder;
    method: CheckoutMethod;
    settings: MethodSettings;
    payMethodKey: string;
    validateType: 0 | 1 | 2 | undefined;
    expiresAtCst: string;
    source: 1 | 2;
    acct: string | undefined;
    input: Record<string, string | undefined>;
    client: ClientInfo;
  }): { kind: 'consume' | 'agentCollect'; param: Record<string, unknown> } {
    const { resolved, method } = a;
    const urls = callbackUrls(this.ctx.config);
    const value = payMethodValue(method, {
      amount: resolved.amount,
      settings: a.settings,
      input: a.input,
      ...(a.acct ? { acct: a.acct } : {}),
      consumerIp: a.client.consumerIp,
      encrypt: (plaintext) => encryptField(plaintext, this.ctx.platformKey),
      siteName: resolved.subject,
      siteUrl: this.ctx.config.publicBaseUrl,
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
      industryCode: this.ctx.config.industryCode,
      industryName: this.ctx.config.industryName,
      source: a.source,
      summary: summaryOf(resolved.subject),
      // Support staff find the merchant's order from the platform's records by it (echoed back, max 50 characters).
      ...(a.merchantOrderId.length <= 50 ? { extendInfo: a.merchantOrderId } : {}),
    };
    const [kind, schema, param] = resolved.recieverList
      ? (['agentCollect', agentCollectApplyParam, { ...common, recieverList: [...resolved.recieverList], tradeCode: resolved.tradeCode ?? this.ctx.config.tradeCode, fee: resolved.fee ?? 0 }] as const)
      : ([
          'consume',
          consumeApplyParam,
          { ...common, recieverId: resolved.recieverId ?? this.ctx.config.defaultRecieverId, fee: resolved.fee ?? 0, ...(resolved.splitRule ? { splitRule: [...resolved.splitRule] } : {}) },
        ] as const);
    const checked = schema.safeParse(param);
    if (!checked.success) {
      this.ctx.log('error', 'the apply would not satisfy the spec', { bizOrderNo: a.bizOrderNo, issues: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      throw new CheckoutError(500, 'config', { zh: '商户支付配置有误', en: 'The merchant’s payment configuration is invalid' }, { details: checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    return { kind, param };
  }

  /** A freshly signed front-page form (new timestamp each time: the platform allows 10 minutes of skew). */
  frontForm(payment: PaymentRecord, page: FrontPage, consumerIp: string): FrontPageForm {
    const common = { sysid: this.ctx.config.sysid, merchantKey: this.ctx.merchantKey, endpoints: this.ctx.config.yunstEndpoints };
    const base = { bizUserId: payment.payerBizUserId, bizOrderNo: payment.bizOrderNo, consumerIp };
    return page === 'password'
      ? buildPasswordPayForm({ ...common, param: { ...base, jumpUrl: callbackUrls(this.ctx.config).frontUrl } })
      : buildGatewayPayForm({ ...common, param: base });
  }

  private async openPayment(bizOrderNo: string, actionType: StoredAction['type']): Promise<PaymentRecord> {
    const payment = await this.getPayment(bizOrderNo);
    if (!isOpen(payment.state)) {
      throw new CheckoutError(409, 'payment_not_pending', { zh: '该支付已结束', en: 'This payment is no longer pending' }, { bizOrderNo, details: { state: publicState(payment.state) } });
    }
    if (new Date(payment.expiresAt) <= this.now()) {
      throw new CheckoutError(409, 'payment_expired', { zh: '支付已过期,请重新发起', en: 'The payment has expired; start a new one' }, { bizOrderNo });
    }
    if ((payment.action as StoredAction | null)?.type !== actionType) {
      throw new CheckoutError(409, 'wrong_step', { zh: '该支付不需要此步骤', en: 'This payment does not take this step' }, { bizOrderNo });
    }
    return payment;
  }

  /** Back-end confirm with the SMS code (spec §4.2.8). The code goes to the platform and nowhere else. */
  async confirm(bizOrderNo: string, body: unknown, client: ClientInfo): Promise<PaymentView> {
    const parsed = z.strictObject({ verificationCode: z.string().regex(/^\d{4,8}$/) }).safeParse(body);
    if (!parsed.success) throw validationError([{ path: 'verificationCode', message: 'must be the digits of the SMS code' }]);
    let payment = await this.openPayment(bizOrderNo, 'sms');
    let exchange;
    try {
      exchange = await this.ctx.yunst.exchange('OrderService', 'pay', {
        bizUserId: payment.payerBizUserId,
        bizOrderNo,
        verificationCode: parsed.data.verificationCode,
        consumerIp: client.consumerIp,
      });
    } catch (error) {
      // A wrong code (20011) leaves the payment pending: the payer may type it again or ask for a new one.
      throw fromYunstError(error, bizOrderNo);
    }
    const answer = exchange.result;
    const facts: Record<string, PaymentFact | undefined> = {
      success: { type: 'succeeded', source: 'pay' },
      fail: { type: 'failed', source: 'pay', message: answer.payFailMessage ?? '' },
      pending: undefined,
    };
    const fact = facts[answer.payStatus];
    if (fact) payment = await applyTransition(this.ctx, payment, { fact, evidence: exchange.responseBody });
    return this.view(payment, client);
  }

  async resendSms(bizOrderNo: string): Promise<{ phone: string | null; resendAfter: number }> {
    await this.openPayment(bizOrderNo, 'sms');
    try {
      const answer = await this.ctx.yunst.call('OrderService', 'resendPaySMS', { bizOrderNo });
      return { phone: maskPhone(answer.phone), resendAfter: SMS_RESEND_AFTER_SECONDS };
    } catch (error) {
      throw fromYunstError(error, bizOrderNo);
    }
  }

  async gatewayForm(bizOrderNo: string, client: ClientInfo): Promise<FrontPageForm> {
    const payment = await this.openPayment(bizOrderNo, 'form-post');
    return this.frontForm(payment, (payment.action as Extract<StoredAction, { type: 'form-post' }>).page, client.consumerIp);
  }
}
