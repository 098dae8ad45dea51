import { html, nothing, svg, type TemplateResult } from 'lit';

import type { ResultKind } from './settlement.js';

export type { ResultKind };
/** For `<tsy-checkout>`, which takes the result view, its styles and its texts with this chunk, out of its first load. */
export { successResult } from './settlement.js';
export { resultStyles } from './result-view.styles.js';

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

