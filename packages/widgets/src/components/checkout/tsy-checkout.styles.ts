import { css } from 'lit';

export const checkoutStyles = css`
  :host {
    display: block;
    max-width: var(--tsy-checkout-max-width, 28rem);
  }

  [part='base'] {
    background: var(--_bg);
    color: var(--_text);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 1.25);
    display: grid;
    gap: var(--_space);
  }

  [part='header'] {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--_space);
  }
  .subject {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  [part='amount'] {
    font-size: 1.6em;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  [part='pay-button'] {
    width: 100%;
    min-height: 44px;
    font-weight: 600;
  }

  [part='status'] {
    display: grid;
    justify-items: center;
    text-align: center;
    gap: calc(var(--_space) * 0.5);
    padding: var(--_space) 0;
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

  .skeleton {
    height: 1em;
    border-radius: 4px;
    background: var(--_surface);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    justify-content: center;
  }
  .link {
    border: none;
    background: none;
    color: var(--_primary);
    padding: 0.25em 0;
    text-decoration: underline;
    text-underline-offset: 3px;
  }

  .notice {
    color: var(--_danger);
    overflow-wrap: anywhere;
  }
`;
