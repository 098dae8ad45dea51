import { css } from 'lit';

/** The "did you finish paying?" question stands out a little from the status line. */
export const redirectPayStyles = css`
  .question {
    font-weight: 600;
    margin: 0;
  }
`;
