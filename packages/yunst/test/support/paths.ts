import { fileURLToPath } from 'node:url';

/**
 * Real platform vectors, copied byte for byte from the team's shared/vectors so a fresh clone is self-contained
 * (see test/vectors/README.md for what each file is).
 */
export function vectorPath(name: string): string {
  return fileURLToPath(new URL(`../vectors/${name}`, import.meta.url));
}
