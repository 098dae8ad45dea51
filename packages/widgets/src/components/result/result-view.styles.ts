import { css } from 'lit';

/** Styles of {@link resultView}; a host lists them after its own. */
export const resultStyles = css`
  .result {
    display: grid;
    justify-items: center;
    text-align: center;
    gap: calc(var(--_space) * 0.5);
    padding: calc(var(--_space) * 0.5) 0;
    color: var(--_text);
  }
  .result p {
    margin: 0;
  }
  .result .icon {
    width: 52px;
    height: 52px;
    color: var(--_muted);
  }
  .success .icon {
    color: var(--_success);
  }
  .settled .icon {
    color: var(--_warning);
  }
  .failed .icon,
  .error .icon {
    color: var(--_danger);
  }
  .title {
    font-weight: 650;
    font-size: 1.15em;
  }
  .detail {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
`;
