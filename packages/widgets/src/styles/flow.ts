import { css } from 'lit';

/** What the flow elements (`<tsy-wechat-pay>`, `<tsy-alipay-pay>`, …) share: a status line, a spinner, a row of buttons, the guide. */
export const flowStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: grid;
    gap: var(--_space);
  }
  [part='status'] {
    display: grid;
    justify-items: center;
    text-align: center;
    gap: calc(var(--_space) * 0.5);
    padding: var(--_space) 0;
    overflow-wrap: anywhere;
  }
  .spinner {
    width: 32px;
    height: 32px;
    border-radius: 50%;
    border: 3px solid var(--_border);
    border-top-color: var(--_primary);
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    justify-content: center;
  }
  [part='guide'] {
    position: relative;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    padding-top: calc(var(--_space) * 2.5);
  }
  .arrow {
    position: absolute;
    top: calc(var(--_space) * 0.25);
    right: var(--_space);
    font-size: 1.5em;
    line-height: 1;
    color: var(--_primary);
  }
  [part='guide'] p {
    margin: 0.25em 0;
  }
`;
