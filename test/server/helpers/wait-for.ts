/**
 * Reads until `done` holds or ten seconds pass, then returns the last reading for the test
 * to assert on: for what a database publishes a moment after the fact (statistics counts).
 */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, everyMs = 50): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
