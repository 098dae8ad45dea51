import { formatCstTimestamp } from '@tsy/yunst';
import express from 'express';
import type { SandboxContext } from '../context.js';
import type { SmsMessage } from '../state/sms.js';
import { html, sendPage } from './html.js';

const PURPOSE_TEXT: Record<SmsMessage['purpose'], string> = {
  bindPhone: '绑定手机 / Bind phone',
  unbindPhone: '解绑手机 / Unbind phone',
  pay: '支付确认 / Payment',
};

/**
 * The test environment's "back office" view of SMS codes (spec §4.1.2): /sandbox/sms lists every code sent, newest first,
 * refreshing itself; `?phone=` filters; JSON with `Accept: application/json` or `?format=json`.
 */
export function smsInboxRouter(ctx: SandboxContext): express.Router {
  const router = express.Router();
  router.get('/sandbox/sms', (req, res) => {
    const phone = typeof req.query.phone === 'string' && req.query.phone !== '' ? req.query.phone : undefined;
    const messages = ctx.sms.list(phone);
    res.set('Cache-Control', 'no-store');
    if (req.query.format === 'json' || (req.query.format === undefined && req.accepts(['html', 'json']) === 'json')) {
      return res.json(
        messages.map((m) => ({
          phone: m.phone,
          code: m.code,
          purpose: m.purpose,
          ...(m.bizOrderNo !== undefined && { bizOrderNo: m.bizOrderNo }),
          sentAt: m.sentAt.toISOString(),
        })),
      );
    }
    const now = ctx.now();
    sendPage(res, {
      title: '短信收件箱 / SMS inbox',
      refreshSeconds: 5,
      body: html`<h1>短信收件箱 / SMS inbox <span class="muted">(sandbox)</span></h1>
<form class="card" method="get"><label>手机号 / Phone<input name="phone" value="${phone ?? ''}" inputmode="tel"></label><button>筛选 / Filter</button></form>
<div class="card">${
        messages.length === 0
          ? html`<p class="muted">暂无短信 / No messages yet</p>`
          : html`<table><tr><th>时间 Sent (CST)</th><th>手机 Phone</th><th>验证码 Code</th><th>用途 Purpose</th><th>订单 Order</th></tr>${messages.map(
              (m) => html`<tr><td>${formatCstTimestamp(m.sentAt)}</td><td>${m.phone}</td>
<td><code>${m.code}</code>${now >= m.expiresAt || m.usedAt ? html` <span class="muted">(${m.usedAt ? '已使用 used' : '已过期 expired'})</span>` : ''}</td>
<td>${PURPOSE_TEXT[m.purpose]}</td><td>${m.bizOrderNo ?? ''}</td></tr>`,
            )}</table>`
      }</div>`,
    });
  });
  return router;
}
