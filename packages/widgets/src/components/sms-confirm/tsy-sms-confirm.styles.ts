import { css } from 'lit';

/** The code field and the resend button share a row; the confirm button spans the card. */
export const smsConfirmStyles = css`
  form {
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  [part='sent-to'] {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .row {
    display: flex;
    gap: calc(var(--_space) * 0.5);
  }
  input {
    font: inherit;
    /* Grows into the row; its own intrinsic width (about 20 characters) must not widen a narrow card. */
    flex: 1;
    width: 0;
    min-width: 0;
    min-height: 44px;
    padding: 0 0.75em;
    letter-spacing: 0.2em;
    border-radius: calc(var(--_radius) * 0.8);
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_text);
  }
  input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 1px;
  }
  button {
    min-height: 44px;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  [part='notice'] {
    margin: 0;
    color: var(--_danger);
  }
`;
