/** Undo steps for a bench run: temp dirs, databases, servers and child processes. */

/** Undo steps, run last-in first-out, each bounded in time and none able to stop the rest. */
export class Cleanup {
  private readonly steps: { label: string; run: () => Promise<unknown> | unknown }[] = [];
  private running: Promise<void> | null = null;

  add(label: string, run: () => Promise<unknown> | unknown) {
    const step = { label, run };
    this.steps.push(step);
    // Undoes the step now (e.g. a database no longer needed) instead of at exit.
    return async () => {
      const at = this.steps.indexOf(step);
      if (at === -1) return;
      this.steps.splice(at, 1);
      await run();
    };
  }

  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        const { label, run } = step;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(run),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('timed out after 30 s')), 30_000);
            }),
          ]);
        } catch (error) {
          console.error(`cleanup: ${label} failed: ${(error as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}

/**
 * On SIGINT or SIGTERM: runs the cleanup once and exits 130. Returns whether that has begun,
 * so the run's own error path can stay quiet and leave the cleanup to the signal.
 */
export function cleanUpOnSignals(cleanup: Cleanup, prefix: string): () => boolean {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`${prefix} ${signal}: cleaning up`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => stopping;
}
