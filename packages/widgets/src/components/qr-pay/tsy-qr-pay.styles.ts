import { css } from 'lit';

/** The QR's own: the symbol, its placeholder, the "open app" link (the rest is the waiting flows' shared look). */
export const qrPayStyles = css`
  :host {
    display: block;
    --_qr-size: var(--tsy-qr-size, 200px);
    /* The symbol stays dark on light in every theme: many scanners cannot read an inverted code. */
    --_qr-fg: var(--tsy-qr-color, #000000);
    --_qr-bg: var(--tsy-qr-background, #ffffff);
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

  [part='open-app'] {
    min-height: 44px;
  }
  .manual {
    max-width: calc(var(--_qr-size) + 6rem);
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

`;
