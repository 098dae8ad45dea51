import { signSource } from '@tsy/yunst';
import type { Request, Response } from 'express';
import type { RequestContext } from '../context.js';
import { orderResultFields, refundResultFields } from '../notifications/order-result.js';
import { errorAnswer, okAnswer, type ErrorAnswer, type OkAnswer } from '../soa/answers.js';
import { SoaError } from '../soa/errors.js';
import { ORDER_STATUS_OF } from '../state/orders.js';
import { REFUND_STATUS_OF } from '../state/refunds.js';
import type { FaultInjector, FiredFault } from './injector.js';
import type { AnswerFaultKind } from './rules.js';

type Answer = OkAnswer | ErrorAnswer;

/** What a call is about, read from its `req` before anything is checked (a broken request just has neither). */
export function peekCall(fields: Record<string, string>): { method?: string; bizOrderNo?: string } {
  try {
    const req = JSON.parse(fields.req ?? '') as { method?: unknown; param?: { bizOrderNo?: unknown } };
    return {
      ...(typeof req.method === 'string' && { method: req.method }),
      ...(typeof req.param?.bizOrderNo === 'string' && { bizOrderNo: req.param.bizOrderNo }),
    };
  } catch {
    return {};
  }
}

const wait = (ctx: RequestContext, ms: number) => new Promise<void>((resolve) => ctx.timers.after(ms, resolve));

/** One character of `text` changed: a digit moves by one, anything else becomes `X` (or `Y` if it was `X`). */
function alterLast(text: string): string {
  if (text === '') return 'X';
  const last = text.at(-1)!;
  const changed = /\d/.test(last) ? String((Number(last) + 1) % 10) : last === 'X' ? 'Y' : 'X';
  return text.slice(0, -1) + changed;
}

/** The answer after signing, with one field changed: the first string field of a success, the message of a refusal. */
function withBadSign(answer: Answer): { answer: Answer; detail: string } {
  if (answer.status === 'error') return { answer: { ...answer, message: alterLast(answer.message) }, detail: 'message changed after signing' };
  const value = JSON.parse(answer.signedValue) as Record<string, unknown>;
  const field = Object.keys(value).find((key) => typeof value[key] === 'string');
  if (field) value[field] = alterLast(value[field] as string);
  else value.sandboxFault = 1;
  return { answer: { ...answer, signedValue: JSON.stringify(value) }, detail: `${field ?? 'a field'} changed after signing` };
}

/**
 * getOrderDetail one state behind: a settled, failed, closed or in-progress order reads as unpaid (1, without payment
 * details); an unpaid one as not existing (40000), as a platform whose read side lags its write side would answer. A
 * refund order that succeeded or failed reads as in progress (99, without payDatetime, channel fields or reason); a
 * pending one as not existing.
 */
function staleDetail(ctx: RequestContext, bizOrderNo: string | undefined): { answer: Answer; detail: string } | undefined {
  const order = bizOrderNo === undefined ? undefined : ctx.orders.get(bizOrderNo);
  const key = ctx.config.platformSigningKey;
  if (!order) {
    const refund = bizOrderNo === undefined ? undefined : ctx.refunds.get(bizOrderNo);
    if (!refund) return undefined;
    if (refund.state === 'pending') return { answer: errorAnswer(SoaError.of('40000', refund.bizOrderNo), key), detail: 'pending refund → does not exist' };
    const { payDatetime: _payDatetime, ...fields } = refundResultFields({ ...refund, channel: {} });
    return { answer: okAnswer({ ...fields, orderStatus: REFUND_STATUS_OF.pending }, ctx.config.sysid, key), detail: `refund ${refund.state} → pending` };
  }
  if (order.state === 'unpaid') return { answer: errorAnswer(SoaError.of('40000', order.bizOrderNo), key), detail: 'unpaid → does not exist' };
  const { payDatetime: _payDatetime, ...fields } = orderResultFields({ ...order, channel: {} });
  return { answer: okAnswer({ ...fields, orderStatus: ORDER_STATUS_OF.unpaid }, ctx.config.sysid, key), detail: `${order.state} → unpaid` };
}

/**
 * Answers one `/service/soa` call under a fault. `process` runs the call for real (creating or paying orders); with phase
 * `before` it is never run, with `after` it runs first and only its answer is delayed, lost or broken.
 */
export async function answerWithFault(
  fault: FiredFault<AnswerFaultKind>,
  call: { method?: string; bizOrderNo?: string },
  ctx: RequestContext,
  faults: FaultInjector,
  process: () => Answer,
  req: Request,
  res: Response,
): Promise<void> {
  const record = (detail?: string) => faults.record(fault, { ...call, ...(detail !== undefined && { detail }) });
  const key = ctx.config.platformSigningKey;
  const processed = fault.phase === 'after' ? process() : undefined;
  /** What a call that was never processed answers before it is broken: a signed success naming only the order. */
  const fabricated = (): OkAnswer => okAnswer({ ...(call.bizOrderNo !== undefined && { bizOrderNo: call.bizOrderNo }) }, ctx.config.sysid, key);
  const sendJson = (body: unknown) => res.set('Cache-Control', 'no-store').json(body);

  switch (fault.kind) {
    case 'slow': {
      record(`${fault.delayMs} ms`);
      await wait(ctx, fault.delayMs);
      sendJson(processed ?? process());
      return;
    }
    case 'timeout': {
      record(`held ${fault.delayMs} ms, then the connection is cut`);
      // Nothing is written: the client sees no answer; after delayMs the socket is destroyed (a reset, if it still waits).
      const cut = () => req.socket.destroy();
      if (fault.delayMs === 0) cut();
      else ctx.timers.after(fault.delayMs, cut);
      return;
    }
    case 'error5xx': {
      const status = fault.draws.below(2) === 0 ? 502 : 503;
      record(`HTTP ${status}`);
      const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
      res.status(status).type('text/html').send(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
      return;
    }
    case 'garbage': {
      const text = JSON.stringify(processed ?? fabricated());
      const truncated = fault.draws.below(2) === 0;
      record(truncated ? 'truncated JSON' : 'HTML instead of JSON');
      res.status(200).set('Cache-Control', 'no-store').type('application/json').send(truncated ? text.slice(0, Math.floor(text.length / 2)) : '<html><body>系统繁忙,请稍后再试</body></html>');
      return;
    }
    case 'badSign': {
      const { answer, detail } = withBadSign(processed ?? fabricated());
      record(detail);
      sendJson(answer);
      return;
    }
    case 'noSign': {
      const { sign: _sign, ...unsigned } = processed ?? fabricated();
      record();
      sendJson(unsigned);
      return;
    }
    case 'staleDetail': {
      // A read has no side effect: the real answer is worked out first, so a refused request stays refused.
      const real = processed ?? process();
      const stale = real.status === 'OK' ? staleDetail(ctx, call.bizOrderNo) : undefined;
      if (stale) record(stale.detail);
      sendJson(stale?.answer ?? real);
      return;
    }
  }
}
