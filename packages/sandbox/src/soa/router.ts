import { YUNST_METHODS, type YunstService } from '@tsy/yunst';
import express, { type Request, type Response } from 'express';
import type { ZodType } from 'zod';
import type { RequestContext } from '../context.js';
import * as member from '../member-service.js';
import * as order from '../order-service/index.js';
import { errorAnswer, okAnswer, type ErrorAnswer, type OkAnswer } from './answers.js';
import { openEnvelope, requestFields } from './envelope.js';
import { SoaError } from './errors.js';
import { parseParam } from './params.js';
import { answerWithFault, peekCall } from '../faults/answers.js';
import { checkAgainstSpec, SPEC_TABLES, type MethodTable } from '../spec-tables/index.js';

type Handler = (ctx: RequestContext, param: never) => Record<string, unknown>;

/** Which function answers each method of YUNST_METHODS; the `satisfies` keeps the two lists in step. */
const HANDLERS = {
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
} as const satisfies { [S in YunstService]: { [M in keyof (typeof YUNST_METHODS)[S]]: Handler } };

/** Every method answered has its own table of the spec (the first line of checks). */
SPEC_TABLES satisfies { [S in YunstService]: { [M in keyof (typeof YUNST_METHODS)[S]]: MethodTable } };

/** One `/service/soa` call, from its decoded fields to the signed answer. */
function answerSoa(ctx: RequestContext, fields: Record<string, string>): OkAnswer | ErrorAnswer {
  let call = 'soa';
  try {
    const { service, method, param } = openEnvelope(fields, ctx.config);
    call = `${service}.${method}`;
    const entry = (YUNST_METHODS as Record<string, Record<string, { param: ZodType }>>)[service]![method]!;
    const handler = (HANDLERS as Record<string, Record<string, (ctx: RequestContext, param: unknown) => Record<string, unknown>>>)[service]![method]!;
    // Two independent lines: the spec's tables as transcribed in the sandbox, then the shared schema the client sends with —
    // a misreading of the spec in one of them does not pass unnoticed because the other agrees with the client.
    checkAgainstSpec((SPEC_TABLES as Record<string, Record<string, MethodTable>>)[service]![method]!, param);
    const answer = okAnswer(handler(ctx, parseParam(entry.param, param)), ctx.config.sysid, ctx.config.platformSigningKey);
    ctx.config.log(`${call} → OK`);
    return answer;
  } catch (error) {
    // A bug of the sandbox still answers in the platform's shape (9999 系统错误), so the client sees an error answer.
    const answer = error instanceof SoaError ? error : SoaError.of('9999');
    if (!(error instanceof SoaError)) ctx.config.log(`${call} → internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    else ctx.config.log(`${call} → ${error.errorCode}`);
    return errorAnswer(answer, ctx.config.platformSigningKey);
  }
}

/** Waits out what is left of `delayMs` since `arrived` (nothing when it is 0 or already over). */
function untilDue(arrived: number, delayMs: number): Promise<void> | undefined {
  const left = arrived + delayMs - performance.now();
  return left > 0 ? new Promise((resolve) => setTimeout(resolve, left)) : undefined;
}

/** `/service/soa`: POST form bodies, and GET with the query string (spec §3.3's example is a GET URL). */
export function soaRouter(contextFor: (req: Request) => RequestContext): express.Router {
  const router = express.Router();
  const handle = async (req: Request, res: Response) => {
    const arrived = performance.now();
    const ctx = contextFor(req);
    const fields = requestFields(req);
    const call = ctx.faults ? peekCall(fields) : {};
    const fault = ctx.faults?.decideAnswer(call.method, call.bizOrderNo);
    if (fault) {
      await untilDue(arrived, ctx.config.answerDelayMs);
      await answerWithFault(fault, call, ctx, ctx.faults!, () => answerSoa(ctx, fields), req, res);
      return;
    }
    const answer = answerSoa(ctx, fields);
    await untilDue(arrived, ctx.config.answerDelayMs);
    res.set('Cache-Control', 'no-store').json(answer);
  };
  router.get('/service/soa', handle);
  router.post('/service/soa', handle);
  return router;
}
