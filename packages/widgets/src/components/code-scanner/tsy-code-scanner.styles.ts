import { css } from 'lit';

/** The camera box on top (the picture, or what stops it in its place), the picker, then the typed code and its message. */
export const codeScannerStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: grid;
    /* Not wider than the box, whatever the camera's picture size. */
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_space) * 0.75);
    max-width: var(--tsy-scanner-width, 360px);
    padding: var(--_space);
    background: var(--_bg);
    color: var(--_text);
    border-radius: var(--_radius);
  }
  [part='amount'] {
    font-size: 1.25em;
    font-weight: 650;
  }
  [part='camera'] {
    position: relative;
    aspect-ratio: 4 / 3;
    border-radius: var(--_radius);
    overflow: hidden;
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  [part='video'] {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
    background: #000;
  }
  [part='video'][hidden] {
    display: none;
  }
  .guide {
    position: absolute;
    inset: 18% 12%;
    border: 2px solid var(--_primary);
    border-radius: calc(var(--_radius) * 0.6);
    box-shadow: 0 0 0 100vmax rgb(0 0 0 / 0.25);
    pointer-events: none;
  }
  [part='camera-status'] {
    display: grid;
    justify-items: center;
    align-content: center;
    gap: calc(var(--_space) * 0.5);
    text-align: center;
    overflow-wrap: anywhere;
  }
  [part='camera-status'].panel {
    position: absolute;
    inset: 0;
    padding: var(--_space);
  }
  [part='camera-status'].overlay {
    position: absolute;
    left: 0;
    right: 0;
    bottom: 0;
    padding: calc(var(--_space) * 0.5);
    background: rgb(0 0 0 / 0.55);
    color: #fff;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .spinner {
    width: 24px;
    height: 24px;
    border-radius: 50%;
    border: 3px solid rgb(255 255 255 / 0.4);
    border-top-color: #fff;
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  .picker {
    display: flex;
    gap: calc(var(--_space) * 0.5);
    align-items: center;
  }
  select,
  input {
    font: inherit;
    min-height: 44px;
    border-radius: calc(var(--_radius) * 0.8);
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_text);
  }
  select {
    flex: 1;
    min-width: 0;
  }
  select:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 1px;
  }
  [part='gun-hint'] {
    margin: 0;
    color: var(--_muted);
  }
  [part='manual'] {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_space) * 0.25);
  }
  .row {
    display: flex;
    gap: calc(var(--_space) * 0.5);
  }
  input {
    flex: 1;
    min-width: 0;
    padding: 0 0.75em;
    letter-spacing: 0.05em;
    font-variant-numeric: tabular-nums;
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  button {
    min-height: 44px;
    white-space: nowrap;
  }
  [part='message'] {
    color: var(--_danger);
    min-height: 1.5em;
  }
  [part='read'] {
    display: grid;
    justify-items: center;
    gap: calc(var(--_space) * 0.25);
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_surface);
    text-align: center;
  }
  .read-title {
    color: var(--_success);
    font-weight: 650;
    font-size: 1.1em;
  }
  .read-code {
    font-size: 1.25em;
    letter-spacing: 0.08em;
    font-variant-numeric: tabular-nums;
  }
`;
