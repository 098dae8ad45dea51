import { css } from 'lit';

/** The form itself is never seen: only its "continue" button, when the page did not leave by itself. */
export const formPostStyles = css`
  form {
    display: contents;
  }
  input[type='hidden'] {
    display: none;
  }
`;
