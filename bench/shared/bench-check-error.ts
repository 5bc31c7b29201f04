/** A bench result that is wrong (not slow): reported by its message alone, without a stack. */
export class BenchCheckError extends Error {
  override name = 'BenchCheckError';
}

/** A failure as the bench prints it: a check's message alone, anything else with its stack. */
export function failureText(error: unknown): string | undefined {
  return error instanceof BenchCheckError ? error.message : (error as Error).stack;
}
