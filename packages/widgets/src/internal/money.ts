const formatters = new Map<string, Intl.NumberFormat>();

/** ¥12.34 from 1234 fen. Integer arithmetic: the fen never pass through a float multiplication. */
export function formatFen(fen: number, locale: string): string {
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' });
    formatters.set(locale, formatter);
  }
  const yuan = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  return formatter.format(Number(`${yuan}.${String(cents).padStart(2, '0')}`));
}
