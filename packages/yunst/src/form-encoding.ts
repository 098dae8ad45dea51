/**
 * `application/x-www-form-urlencoded` as the platform speaks it (spec §2.2). Decoding follows the WHATWG form rules, so `+`
 * is a space — the notification vectors only verify that way. A plain `decodeURIComponent` would keep the `+`.
 */
export function parseFormBody(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    // A repeated field is ambiguous; the first one wins so a tail appended to the body cannot override a signed field.
    if (!(name in fields)) fields[name] = value;
  }
  return fields;
}

export function encodeFormBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
