import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

/** Text that is already HTML. Only `html` templates and `raw` make it; everything else interpolated is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose interpolations are HTML-escaped (arrays are joined; undefined/null/false render as nothing). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''));
}

/** For markup built by this module only. */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

/** ¥12.34 from fen, in integer arithmetic. */
export function formatYuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Hidden inputs carrying `fields`. */
export const hiddenFields = (fields: Record<string, string>): SafeHtml =>
  html`${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f2f3f5;color:#1f2329}
main{max-width:480px;margin:0 auto;padding:16px}h1{font-size:20px;margin:8px 0 16px}.card{background:#fff;border-radius:12px;padding:16px;margin-bottom:12px}
.brand{font-weight:600;padding:10px 16px;border-radius:12px 12px 0 0;color:#fff;margin:-16px -16px 16px}.wechat{background:#07c160}.alipay{background:#1677ff}
.unionpay{background:#d7000f}.qq{background:#12b7f5}.bank{background:#4e5969}.amount{font-size:36px;font-weight:600;text-align:center;margin:8px 0}
.muted{color:#86909c;font-size:14px}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}dt{color:#86909c}dd{margin:0;word-break:break-all}
button,.button{display:block;width:100%;padding:12px;margin-top:10px;border:0;border-radius:8px;font-size:16px;background:#07c160;color:#fff;cursor:pointer;text-align:center;text-decoration:none}
button.secondary{background:#e5e6eb;color:#1f2329}button.danger{background:#fff;color:#d7000f;border:1px solid #d7000f}
input,select{width:100%;padding:10px;font-size:16px;border:1px solid #c9cdd4;border-radius:8px;margin-top:4px}label{display:block;margin-top:12px}
.error{background:#ffece8;color:#cb2634;padding:10px;border-radius:8px;margin-bottom:12px}.ok{background:#e8ffea;color:#00873b;padding:10px;border-radius:8px}
table{width:100%;border-collapse:collapse;font-size:14px}th,td{text-align:left;padding:6px;border-bottom:1px solid #e5e6eb}code{font-size:18px;font-weight:600}
`;

export interface PageOptions {
  readonly title: string;
  readonly body: SafeHtml;
  readonly status?: number;
  /** Reload the page every n seconds (the SMS inbox). */
  readonly refreshSeconds?: number;
  /** An inline script; it runs under the page's CSP nonce. */
  readonly script?: string;
  /** CSS of this page beside the shared sheet (under the same nonce). */
  readonly extraStyle?: string;
  /** Origins forms may post to besides the page's own (a merchant's frontUrl/jumpUrl). */
  readonly formTargets?: readonly string[];
}

/**
 * Sends a page under a strict CSP: nothing external, inline style and script only with this response's nonce, forms only
 * to the sandbox itself or the named merchant origins, never framed.
 */
export function sendPage(res: Response, options: PageOptions): void {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    ...(options.script ? [`script-src 'nonce-${nonce}'`] : []),
    `form-action 'self'${(options.formTargets ?? []).map((origin) => ` ${origin}`).join('')}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const page = html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${options.refreshSeconds ? html`<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}
<title>${options.title}</title><style nonce="${nonce}">${raw(STYLE + (options.extraStyle ?? ''))}</style></head>
<body><main>${options.body}</main>${options.script ? html`<script nonce="${nonce}">${raw(options.script)}</script>` : ''}</body></html>`;
  res
    .status(options.status ?? 200)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': csp,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    .send(page.value);
}

/** A refusal shown as a page: the platform code and its message. */
export function sendErrorPage(res: Response, error: { errorCode: string; message: string }, status = 400): void {
  sendPage(res, {
    title: `错误 ${error.errorCode}`,
    status,
    body: html`<h1>无法继续 / Cannot continue</h1><div class="card"><div class="error">错误码 / Code ${error.errorCode}</div><p>${error.message}</p></div>`,
  });
}
