/** One `event: state` message of a payment's event stream: its `id:` line (as sent) and its parsed `data:`. */
export interface StateMessage {
  readonly id: string | undefined;
  readonly data: Record<string, unknown>;
}

/**
 * The `event: state` messages of a Server-Sent Events body as they arrive (heartbeats, `retry:` and other events skipped).
 * Ends with the body; an aborted fetch ends it with the abort error.
 */
export async function* stateMessages(body: AsyncIterable<Uint8Array>): AsyncGenerator<StateMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      if (!lines.includes('event: state')) continue;
      yield { id: lines.find((line) => line.startsWith('id: '))?.slice(4), data: JSON.parse(lines.find((line) => line.startsWith('data: '))!.slice(6)) as Record<string, unknown> };
    }
  }
}
