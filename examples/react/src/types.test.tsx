// Compiled by `tsc --noEmit` only: each @ts-expect-error must meet an error, so a prop typed too loosely (or a detail
// typed `any`) makes the compile fail.
import type {} from '@tsy/widgets/react';
import type { TsyEvent } from '@tsy/widgets';

export const good = <tsy-checkout order="SO-1" locale="en" theme="dark" ontsy-success={(e) => e.detail.bizOrderNo.toUpperCase()} ontsy-fail={(e) => e.detail.code} />;

// @ts-expect-error theme is 'light' | 'dark'
export const badTheme = <tsy-checkout theme="blue" />;
// @ts-expect-error order is a string
export const badOrder = <tsy-checkout order={42} />;
// @ts-expect-error state is read only: not a prop
export const readOnly = <tsy-checkout state="success" />;
// @ts-expect-error the detail is typed (amount is a number): not `any`
export const detailNotAny = <tsy-checkout ontsy-success={(e) => e.detail.amount.toUpperCase()} />;
// @ts-expect-error settlement is a union of strings, not any string
export const settlement = <tsy-checkout ontsy-success={(e) => { const s: 'nope' = e.detail.settlement; return s; }} />;
// (An undeclared hyphenated prop such as `ontsy-code-scanned` is not an error: TypeScript lets any JSX attribute with a
// dash through. A declared one is checked, as above.)
// @ts-expect-error the picker's methods are MethodView[]
export const badMethods = <tsy-method-picker methods="wechat" />;
// @ts-expect-error the handler of tsy-success takes its own event, not tsy-fail's
export const wrongEvent = <tsy-checkout ontsy-success={(e: TsyEvent<'tsy-fail'>) => e.detail.code} />;
