import { css } from 'lit';

/** The refusal line keeps its place (an empty live region), so the scanner does not jump when a message comes. */
export const codePayStyles = css`
  [part='error'] {
    margin: 0;
    min-height: 1.5em;
    text-align: center;
    color: var(--_danger);
  }
  [part='status']:empty {
    display: none;
  }
`;
