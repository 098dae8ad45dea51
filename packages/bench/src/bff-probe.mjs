// Preloaded into the BFF process by the SSE benchmark (`node --expose-gc --import <this> tsy-bff.js`): on SIGUSR2 it
// collects the garbage and prints the process's memory on one line, so the benchmark reads the memory the streams really
// keep, without any route of its own in the BFF. Plain JavaScript: the BFF runs from dist, without tsx.
let seq = 0;
process.on('SIGUSR2', () => {
  // Two full collections: the first runs the finalizers of what it frees, the second takes what they let go.
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`bench-memory ${JSON.stringify({ seq: seq++, collected: typeof globalThis.gc === 'function', rss, heapUsed, heapTotal, external, arrayBuffers })}\n`);
});
