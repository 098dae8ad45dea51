import { css } from 'lit';

/** The code field and the resend button share a row (codeRowStyles); the confirm button spans the card. */
export const smsConfirmStyles = css`
  form {
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  [part='sent-to'] {
    margin: 0;
    overflow-wrap: anywhere;
  }
  input {
    letter-spacing: 0.2em;
  }
  button {
    font-variant-numeric: tabular-nums;
  }
  [part='notice'] {
    margin: 0;
    color: var(--_danger);
  }
`;
