// The test BFF of web-test-runner.config.mjs (`/__test-bff/<scenario>`): the BFF's GET payment and SSE contract with
// scenarios set per test and counters kept server-side. Test code only.

export interface RunStats {
  gets: { start: number; end: number }[];
  inFlight: number;
  maxInFlight: number;
  streams: number;
  openStreams: number;
}

let runs = 0;

/** A fresh scenario of the test BFF, with counters of its own: `api` is the base URL to give a component. */
export function testBff(prefix: string, scenario: Record<string, string | number> = {}): { api: string; stats: () => Promise<RunStats> } {
  const query = new URLSearchParams({ run: `${prefix}-${Date.now()}-${++runs}`, ...Object.fromEntries(Object.entries(scenario).map(([k, v]) => [k, String(v)])) });
  const api = `/__test-bff/${encodeURIComponent(query.toString())}`;
  return { api, stats: async () => (await (await fetch(`${api}/stats`)).json()) as RunStats };
}
