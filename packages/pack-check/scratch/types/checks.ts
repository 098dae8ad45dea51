// The type checks, shared by consumer.ts (must compile) and control.ts (must not): the same checks, so the control
// shows they can fail.
import type { TsyCheckout } from '@tsy/widgets';

export type IsAny<T> = 0 extends 1 & T ? true : false;

/** true only when T is exactly what `querySelector('tsy-checkout')` should give: `TsyCheckout | null`. */
export type IsCheckoutQuery<T> = IsAny<T> extends true ? false : [T] extends [TsyCheckout | null] ? ([TsyCheckout | null] extends [T] ? true : false) : false;

/** true when M has `tsy-*` events and none of their `detail`s is `any` (an event without `detail` does not compile). */
export type EveryTsyDetailTyped<M> = [Extract<keyof M, `tsy-${string}`>] extends [never]
  ? false
  : true extends { [K in Extract<keyof M, `tsy-${string}`>]: M[K] extends { detail: infer D } ? IsAny<D> : true }[Extract<keyof M, `tsy-${string}`>]
    ? false
    : true;
