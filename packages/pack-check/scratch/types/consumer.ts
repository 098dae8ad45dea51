// A merchant's page script against the published types: compiles only if they are as precise as promised.
import '@tsy/widgets';
import type { Settlement } from '@tsy/widgets';
import type { EveryTsyDetailTyped, IsAny, IsCheckoutQuery } from './checks.js';

const checkout = document.querySelector('tsy-checkout');
export const elementTyped: IsCheckoutQuery<typeof checkout> = true;
export const detailsTyped: EveryTsyDetailTyped<HTMLElementEventMap> = true;

checkout?.addEventListener('tsy-success', (event) => {
  const notAny: IsAny<typeof event.detail> = false;
  const settlement: Settlement = event.detail.settlement;
  const bizOrderNo: string = event.detail.bizOrderNo;
  console.log(notAny, settlement, bizOrderNo);
});
checkout?.addEventListener('tsy-state-change', (event) => {
  const notAny: IsAny<typeof event.detail> = false;
  console.log(notAny, event.detail.state, event.detail.previous);
});
