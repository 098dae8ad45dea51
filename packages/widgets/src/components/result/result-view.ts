import { html, nothing, svg, type TemplateResult } from 'lit';
import type { Settlement } from '../../api/types.js';
import type { LocalizeController } from '../../controllers/localize-controller.js';

/**
 * Where a payment ended, as the payer sees it. `settled` is a success that is not a plain one: the money arrived, but
 * the order was paid already, or re-priced, or the platform reports another amount — some of it goes back to the payer.
 */
export type ResultKind = 'success' | 'settled' | 'failed' | 'expired' | 'error';

/** The marks inside the result circle (48×48 box). */
const MARKS: Record<ResultKind, TemplateResult> = {
  success: svg`<path d="M14 25l7 7 14-16" stroke-linejoin="round"/>`,
  settled: svg`<path d="M24 13v13M24 33v1"/>`,
  failed: svg`<path d="M16 16l16 16M32 16L16 32"/>`,
  expired: svg`<path d="M24 14v11l7 4"/>`,
  error: svg`<path d="M16 16l16 16M32 16L16 32"/>`,
};

/**
 * The one result view of the kit (`<tsy-checkout>` and `<tsy-qr-pay>`): a mark, a title and a detail. `role` only where
 * the host has no live region of its own.
 */
export function resultView(kind: ResultKind, title: string, detail: string, role?: 'status' | 'alert'): TemplateResult {
  return html`<div part="status" class="result ${kind}" role=${role ?? nothing}>
    <svg class="icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round">
      <circle cx="24" cy="24" r="22" stroke-width="3" />${MARKS[kind]}
    </svg>
    <p class="title">${title}</p>
    ${detail ? html`<p class="detail">${detail}</p>` : nothing}
  </div>`;
}

/**
 * A success in the payer's words: a plain one only when the payment paid the order (`paid`, or no settlement from an
 * older BFF); anything else says what happens to the money.
 */
export function successResult(localize: LocalizeController, settlement: Settlement | null | undefined): [kind: ResultKind, title: string, detail: string] {
  if (!settlement || settlement === 'paid') return ['success', localize.term('paid'), localize.term('paid_detail')];
  const key = `settlement.${settlement}`;
  return ['settled', localize.term('settled'), localize.term(localize.has(key) ? key : 'settlement.check')];
}
