import { css } from 'lit';

export const qrPayStyles = css`
  :host {
    display: block;
    --_qr-size: var(--tsy-qr-size, 200px);
    /* The symbol stays dark on light in every theme: many scanners cannot read an inverted code. */
    --_qr-fg: var(--tsy-qr-color, #000000);
    --_qr-bg: var(--tsy-qr-background, #ffffff);
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

  [part='qr'] {
    width: var(--_qr-size);
    height: var(--_qr-size);
    background: var(--_qr-bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.8);
    overflow: hidden;
    display: grid;
    place-items: center;
  }
  [part='qr'] svg {
    display: block;
    width: 100%;
    height: 100%;
    shape-rendering: crispEdges;
  }
  [part='qr'] path {
    fill: var(--_qr-fg);
  }
  .placeholder {
    width: 70%;
    height: 70%;
    border-radius: calc(var(--_radius) * 0.5);
    background: linear-gradient(90deg, #eceef1 0%, #f8f9fa 50%, #eceef1 100%);
    background-size: 200% 100%;
    animation: shimmer 1.2s linear infinite;
  }
  @keyframes shimmer {
    to {
      background-position: -200% 0;
    }
  }
  .qr-error {
    width: var(--_qr-size);
    padding: var(--_space);
    border: 1px dashed var(--_border);
    border-radius: calc(var(--_radius) * 0.8);
    color: var(--_text);
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
  [part='actions'] button,
  [part='open-app'] {
    min-height: 44px;
  }
  [part='open-app'] {
    display: inline-flex;
    align-items: center;
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    border-radius: calc(var(--_radius) * 0.8);
    padding: calc(var(--_space) * 0.5) var(--_space);
    background: var(--_primary);
    color: var(--_on-primary);
  }
  [part='open-app']:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  .manual {
    display: grid;
    gap: 0.25em;
    width: 100%;
    max-width: calc(var(--_qr-size) + 6rem);
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
