import { css } from 'lit';

/** Alipay's blue on the (decorative) spinner only; the buttons keep the theme's colour. */
export const alipayPayStyles = css`
  .spinner {
    border-top-color: var(--tsy-color-primary, #1677ff);
  }
`;
