/** Exit codes shared by every `sim` command. */
export const ExitCode = {
  ok: 0,
  violation: 1,
  badInput: 2,
  unknown: 3,
  /** A bug in zabsim itself (the harness), not in the input or the simulated protocol. */
  internalError: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error caused by the user's input (a file, a flag, a value). The CLI prints its message as
 * one line and exits 2; anything else that is thrown is a bug: exit 4, its stack saved to a file.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
