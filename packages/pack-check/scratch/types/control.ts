// The same checks on values typed too loosely, on purpose: each line marked `expect-error` must fail to compile (and no
// other line), which shows the checks of consumer.ts can fail.
import '@tsy/widgets';
import type { EveryTsyDetailTyped, IsAny, IsCheckoutQuery } from './checks.js';

const untyped = document.querySelector('tsy-checkout' as string);
export const elementAsElement: IsCheckoutQuery<typeof untyped> = true; // expect-error
declare const anyElement: any;
export const elementAsAny: IsCheckoutQuery<typeof anyElement> = true; // expect-error

interface LooseEventMap extends HTMLElementEventMap {
  'tsy-loose': CustomEvent<any>;
}
export const looseDetails: EveryTsyDetailTyped<LooseEventMap> = true; // expect-error
export const noTsyEvents: EveryTsyDetailTyped<DocumentEventMap> = true; // expect-error

declare const looseEvent: CustomEvent<any>;
export const detailAsAny: IsAny<typeof looseEvent.detail> = false; // expect-error
