import * as member from './member-service.js';
import * as order from './order-service.js';
import type { MethodTable } from './types.js';

export { checkAgainstSpec, specProblems } from './check.js';
export { PAY_METHOD_TABLES } from './pay-methods.js';
export type * from './types.js';

/** The request table of every method the sandbox serves, by service and method. */
export const SPEC_TABLES = {
  MemberService: {
    createMember: member.createMember,
    sendVerificationCode: member.sendVerificationCode,
    bindPhone: member.bindPhone,
    applyBindAcct: member.applyBindAcct,
  },
  OrderService: {
    consumeApply: order.consumeApply,
    agentCollectApply: order.agentCollectApply,
    pay: order.pay,
    resendPaySMS: order.resendPaySMS,
    getOrderDetail: order.getOrderDetail,
    refund: order.refund,
  },
} as const satisfies Record<string, Record<string, MethodTable>>;
