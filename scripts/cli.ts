// Only light modules at the top: `--help` must not load the server (zod, hono, sharp, tiptap, …).
import { AppError } from '../server/errors.ts';
import { commands } from './commands/index.ts';
import type { CommandContext } from './commands/types.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    '连心 Lianxin — volunteer media workbench',
    '',
    'Usage: lianxin [--data DIR] [--json] <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --data DIR   data directory (default: $LIANXIN_DATA or ./content)',
    '  --json       machine-readable output where a script would read it',
    '  -h, --help   this help',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  // global flags may appear anywhere; everything else goes to the command
  const rest: string[] = [];
  const values: { data?: string; json?: boolean; help?: boolean } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--data') values.data = args[++i];
    else if (arg.startsWith('--data=')) values.data = arg.slice(7);
    else if (arg === '--json') values.json = true;
    else if (arg === '--help' || arg === '-h') values.help = true;
    else rest.push(arg);
  }
  const [name, ...argv] = rest;
  const command = commands.find((c) => c.name === name);
  if (!command || values.help) {
    const text = command ? `Usage: lianxin ${command.usage}\n\n${command.summary}` : help();
    console.log(text);
    return name && !command ? 2 : 0;
  }
  const json = values.json === true;
  const { loadConfig } = await import('../server/config.ts');
  const config = loadConfig(process.env, typeof values.data === 'string' ? { dataDir: values.data } : {});
  // commands that read media without deps (build, backup) find the shared media dir too
  if (config.mediaDir) (await import('../server/media/storage.ts')).useMediaDir(config.dataDir, config.mediaDir);
  const opened: Array<() => Promise<void>> = [];
  const ctx: CommandContext = {
    argv,
    json,
    config,
    async openDeps({ lock = true } = {}) {
      const [{ createDeps }, { openConfiguredStore }] = await Promise.all([import('../server/context.ts'), import('../server/store/open.ts')]);
      const { store, cluster, close } = openConfiguredStore(config, { lock });
      const jobs = config.redisUrl ? (await import('../server/jobs/redis.ts')).createRedisJobQueue({ url: config.redisUrl, prefix: config.redisPrefix }) : undefined;
      opened.push(async () => {
        await jobs?.close();
        await close();
      });
      return createDeps({ store, config, ...(cluster ? { cluster } : {}), ...(jobs ? { jobs } : {}) });
    },
    print(value, text) {
      if (json) console.log(JSON.stringify(value, null, 2));
      else if (text !== undefined) console.log(text);
    },
  };
  try {
    return (await command.run(ctx)) ?? 0;
  } catch (error) {
    if (error instanceof AppError) {
      if (json) console.log(JSON.stringify(error.toJSON(), null, 2));
      else console.error(`错误：${error.message}`);
      return error.status === 423 ? 3 : 1;
    }
    throw error;
  } finally {
    await Promise.all(opened.map((close) => close()));
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
