import { css } from 'lit';

/**
 * What the flows that wait for the payer to act elsewhere share (`<tsy-qr-pay>`, `<tsy-pos-code>`): the amount, the hint,
 * the countdown, the waiting line, the buttons and the copy-by-hand field.
 */
export const waitStyles = css`
  :host {
    display: block;
  }

  [part='base'] {
    display: grid;
    justify-items: center;
    gap: calc(var(--_space) * 0.75);
    padding: var(--_space);
    background: var(--_bg);
    color: var(--_text);
    border-radius: var(--_radius);
    text-align: center;
  }

  p {
    margin: 0;
  }

  .summary {
    display: grid;
    justify-items: center;
    gap: 2px;
  }
  .method {
    color: var(--_muted);
  }
  [part='amount'] {
    font-size: 1.75em;
    font-weight: 650;
    line-height: 1.2;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  .hint {
    font-weight: 600;
  }
  [part='countdown'] {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  [part='countdown'].urgent {
    color: var(--_danger);
  }
  [part='status'] {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    color: var(--_muted);
  }
  .pulse {
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_primary);
    animation: pulse 1.4s ease-in-out infinite;
  }
  @keyframes pulse {
    50% {
      opacity: 0.25;
    }
  }

  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: calc(var(--_space) * 0.5);
  }
  [part='actions'] button {
    min-height: 44px;
  }

  .manual {
    display: grid;
    gap: 0.25em;
    width: 100%;
    max-width: 22rem;
    color: var(--_text);
  }
  .manual input {
    font: inherit;
    font-size: 0.85em;
    width: 100%;
    padding: 0.4em 0.6em;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.6);
    background: var(--_surface);
    color: var(--_text);
  }
`;
