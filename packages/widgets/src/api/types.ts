/** The checkout API's JSON shapes, from the contract the BFF serves (`@tsy/contract`). */
export type * from '@tsy/contract';
