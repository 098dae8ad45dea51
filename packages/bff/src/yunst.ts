/**
 * @deprecated The protocol core is its own package now: import `@tsy/yunst`. This re-export stays for one release.
 */
export * from '@tsy/yunst';
