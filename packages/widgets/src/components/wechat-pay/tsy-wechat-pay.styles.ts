import { css } from 'lit';

/** WeChat's green on the (decorative) spinner only: white on it is too faint for text, so the buttons keep the theme's colour. */
export const wechatPayStyles = css`
  .spinner {
    border-top-color: var(--tsy-color-primary, #07c160);
  }
`;
