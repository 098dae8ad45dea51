/** The cart lives in the browser (product ids and quantities only); prices and totals come from the server. */
const KEY = 'tsy-demo-cart';
export const MAX_QUANTITY = 99;

export type Cart = Map<string, number>;

export function loadCart(): Cart {
  try {
    const raw = localStorage.getItem(KEY);
    // A first visit starts with something in the cart, so the checkout is on the first screen.
    if (raw === null) return new Map([['coffee', 1]]);
    const entries = Object.entries(JSON.parse(raw) as Record<string, unknown>).filter(
      (entry): entry is [string, number] => Number.isInteger(entry[1]) && (entry[1] as number) > 0 && (entry[1] as number) <= MAX_QUANTITY,
    );
    return new Map(entries);
  } catch {
    return new Map();
  }
}

export function saveCart(cart: Cart): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(Object.fromEntries(cart)));
  } catch {
    // private mode: the cart lasts as long as the page
  }
}
