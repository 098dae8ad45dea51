import { css } from 'lit';

export const phoneBindStyles = css`
  :host {
    display: block;
  }
  form {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_space) * 0.5);
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .title {
    font-weight: 650;
  }
  .row {
    display: flex;
    gap: calc(var(--_space) * 0.5);
  }
  input {
    font: inherit;
    flex: 1;
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
