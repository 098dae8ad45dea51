import type { z } from 'zod';
import * as member from './member-service.js';
import * as order from './order-service.js';

export * from './common.js';
export * from './pay-methods.js';
export * from './member-service.js';
export * from './order-service.js';

/** The interfaces the kit calls over `/service/soa`, with the schemas of their `param` and `signedValue`. */
export const YUNST_METHODS = {
  MemberService: {
    createMember: { param: member.createMemberParam, result: member.createMemberResult },
    sendVerificationCode: { param: member.sendVerificationCodeParam, result: member.sendVerificationCodeResult },
    bindPhone: { param: member.bindPhoneParam, result: member.bindPhoneResult },
    applyBindAcct: { param: member.applyBindAcctParam, result: member.applyBindAcctResult },
  },
  OrderService: {
    consumeApply: { param: order.consumeApplyParam, result: order.consumeApplyResult },
    agentCollectApply: { param: order.agentCollectApplyParam, result: order.agentCollectApplyResult },
    pay: { param: order.payParam, result: order.payResult },
    resendPaySMS: { param: order.resendPaySMSParam, result: order.resendPaySMSResult },
    getOrderDetail: { param: order.getOrderDetailParam, result: order.getOrderDetailResult },
    refund: { param: order.refundParam, result: order.refundResult },
  },
} as const;

export type YunstService = keyof typeof YUNST_METHODS;
export type YunstMethod<S extends YunstService> = keyof (typeof YUNST_METHODS)[S] & string;
type Entry<S extends YunstService, M extends YunstMethod<S>> = (typeof YUNST_METHODS)[S][M] & { param: z.ZodType; result: z.ZodType };
export type YunstParam<S extends YunstService, M extends YunstMethod<S>> = z.input<Entry<S, M>['param']>;
export type YunstResult<S extends YunstService, M extends YunstMethod<S>> = z.output<Entry<S, M>['result']>;
