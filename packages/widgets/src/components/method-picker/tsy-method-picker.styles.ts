import { css } from 'lit';

/** `<tsy-method-picker>`'s own rules; every colour, radius, font and spacing comes from the tokens (`--_*`). */
export const methodPickerStyles = css`
  :host {
    display: block;
  }

  .base {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 0.75);
    background: var(--_bg);
    color: var(--_text);
    border-radius: var(--_radius);
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: calc(var(--_space) * 0.25) var(--_space);
  }
  .label {
    font-weight: 600;
    font-size: 1.0667em;
  }
  .amount {
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .amount-label {
    color: var(--_muted);
    font-weight: 400;
    font-size: 0.875em;
  }

  .group {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_space) * 0.5);
  }
  .group-label {
    color: var(--_muted);
    font-size: 0.8667em;
    font-weight: 600;
    letter-spacing: 0.02em;
  }

  .method {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 0.75);
    min-height: 48px;
    padding: calc(var(--_space) * 0.625) var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
    cursor: pointer;
    user-select: none;
    -webkit-user-select: none;
    -webkit-tap-highlight-color: transparent;
    transition:
      border-color 0.15s ease,
      box-shadow 0.15s ease,
      background-color 0.15s ease;
  }
  .method:hover {
    border-color: var(--_primary);
  }
  .method[aria-checked='true'] {
    border-color: var(--_primary);
    box-shadow: inset 0 0 0 1px var(--_primary);
    background: var(--_bg);
    background: color-mix(in srgb, var(--_primary) 8%, var(--_bg));
  }
  .method:focus {
    outline: none;
  }
  .method:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .method[aria-disabled='true'] {
    cursor: not-allowed;
    border-style: dashed;
    border-color: var(--_border);
    background: var(--_surface);
  }
  .method[aria-disabled='true'] .name {
    color: var(--_muted);
  }
  .method[aria-disabled='true'] .icon {
    filter: grayscale(1);
    opacity: 0.5;
  }

  .indicator {
    flex: none;
    display: grid;
    place-items: center;
    width: 18px;
    height: 18px;
    border: 2px solid var(--_muted);
    border-radius: 50%;
    background: var(--_bg);
    transition: border-color 0.15s ease;
  }
  .indicator::after {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--_primary);
    transform: scale(0);
    transition: transform 0.15s ease-out;
  }
  [aria-checked='true'] > .indicator {
    border-color: var(--_primary);
  }
  [aria-checked='true'] > .indicator::after {
    transform: scale(1);
  }
  [aria-disabled='true'] > .indicator {
    border-color: var(--_border);
    background: transparent;
  }

  .icon {
    flex: none;
    display: block;
    width: 28px;
    height: 28px;
    color: var(--_primary);
  }
  .icon .tile {
    fill: var(--_surface);
    fill: color-mix(in srgb, var(--_primary) 12%, var(--_bg));
  }

  .text {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .name {
    font-weight: 500;
    overflow-wrap: anywhere;
  }
  .reason {
    color: var(--_muted);
    font-size: 0.8667em;
    line-height: 1.4;
    overflow-wrap: anywhere;
  }

  .empty {
    margin: 0;
    color: var(--_muted);
  }

  .base.disabled .method {
    cursor: not-allowed;
  }
  .base.disabled .method:hover {
    border-color: var(--_border);
  }
  .base.disabled .group,
  .base.disabled .empty {
    opacity: 0.6;
  }

  @media (prefers-reduced-motion: reduce) {
    .method,
    .indicator,
    .indicator::after {
      transition: none;
    }
  }

  @media (forced-colors: active) {
    .method[aria-checked='true'] {
      outline: 2px solid Highlight;
      outline-offset: -2px;
    }
    .method:focus-visible {
      outline: 3px solid Highlight;
      outline-offset: 2px;
    }
    .indicator,
    [aria-checked='true'] > .indicator {
      border-color: CanvasText;
    }
    .indicator::after {
      background: Highlight;
    }
    .method[aria-disabled='true'],
    .method[aria-disabled='true'] .name {
      color: GrayText;
    }
  }
`;
