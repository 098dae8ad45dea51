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
`;
