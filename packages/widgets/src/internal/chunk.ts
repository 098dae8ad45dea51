/**
 * A lazily imported chunk, fetched once and shared by every caller; a failed fetch (offline for a moment) is not
 * remembered, so the next call tries again.
 */
export function chunk<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
