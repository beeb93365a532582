import type { Config } from '../../server/config.ts';
import type { Deps } from '../../server/context.ts';

export interface CommandContext {
  /** Arguments after the command name, global flags removed. */
  argv: string[];
  json: boolean;
  config: Config;
  /** Opens the store (taking the one-writer lock unless `lock: false`) and builds the services' deps. */
  openDeps(options?: { lock?: boolean }): Promise<Deps>;
  /** Prints `value` as JSON with --json, otherwise `text` (or nothing). */
  print(value: unknown, text?: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(ctx: CommandContext): Promise<number | void>;
}

/** Prints the usage line and returns exit code 2. */
export function usageError(usage: string): number {
  console.error(`用法：lianxin ${usage}`);
  return 2;
}
