import { css } from 'lit';

/**
 * A code field with its button beside it, as the SMS steps have it (`<tsy-phone-bind>`, `<tsy-sms-confirm>`): the field
 * takes the row, the button keeps its one line; both at least 44px high (a finger).
 */
export const codeRowStyles = css`
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
  }
`;
