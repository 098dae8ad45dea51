import { css } from 'lit';

/** The code itself: big, tabular digits in groups, legible from a step away and easy to type into a keypad. */
export const posCodeStyles = css`
  [part='code'] {
    display: flex;
    gap: 0.5em;
    justify-content: center;
    font-size: var(--tsy-pos-code-size, 2.75rem);
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    letter-spacing: 0.08em;
    padding: calc(var(--_space) * 0.5) var(--_space);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.8);
    background: var(--_surface);
    user-select: all;
  }
`;
