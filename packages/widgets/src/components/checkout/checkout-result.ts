import { html, type TemplateResult } from 'lit';
import type { Settlement } from '../../api/types.js';
import type { LocalizeController } from '../../controllers/localize-controller.js';
import { resultView } from '../result/result-view.js';
import { successResult } from '../result/settlement.js';

export { resultStyles } from '../result/result-view.styles.js';

/** What the payer can do from a result. `other` only when there is a payment to leave (else only a reload helps). */
export interface ResultActions {
  readonly settlement: Settlement;
  readonly detail: string;
  readonly retry: () => void;
  readonly refresh: () => void;
  readonly other: (() => void) | undefined;
  readonly reload: () => void;
}

/**
 * The checkout's ended states, with their buttons: a chunk of its own (with the result view and its styles), outside the
 * main entry — a payer sees none of it before paying, and it is fetched when the checkout connects.
 */
export function checkoutResult(state: 'success' | 'failed' | 'expired' | 'error', localize: LocalizeController, a: ResultActions): TemplateResult {
  const t = localize.term.bind(localize);
  const button = (label: string, onClick: () => void, kind = 'primary') => html`<button class=${kind} @click=${onClick}>${label}</button>`;
  switch (state) {
    case 'success':
      return resultView(...successResult(localize, a.settlement), 'status');
    case 'failed':
      return html`${resultView('failed', t('failed'), a.detail, 'alert')}<div class="actions">${button(t('retry'), a.retry)}</div>`;
    case 'expired':
      return html`${resultView('expired', t('expired'), t('expired_detail'), 'alert')}<div class="actions">
          ${button(t('refresh'), a.refresh)}${button(t('other_method'), a.retry, 'link')}
        </div>`;
    case 'error':
      return html`${resultView('error', t('error'), a.detail, 'alert')}<div class="actions">
          ${a.other ? button(t('other_method'), a.other) : button(t('reload'), a.reload)}
        </div>`;
  }
}
