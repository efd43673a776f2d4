import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadBotDefinition } from '../../app/bot-definition';
import { runBotTests } from '../../app/bot-tests';
import { loadConfig } from '../../app/config';
import type { CliOutput } from '../commands/flows';
import { coverageShortfall, formatCoverage, formatResults, toJUnit } from '../test-report';

export interface TestOptions {
  bot: string;
  coverage?: boolean;
  minCoverage?: string;
  junit?: string;
  /** `--redis` alone: REDIS_URL; `--redis <url>`: that Redis. */
  redis?: string | boolean;
}

function redisUrl(option: TestOptions['redis']): string | undefined {
  if (option === undefined || option === false) return undefined;
  if (typeof option === 'string') return option;
  const { store } = loadConfig();
  if (store.kind !== 'redis')
    throw new Error('--redis needs a URL: --redis redis://127.0.0.1:6379 (or set REDIS_URL)');
  return store.url;
}

/** `parley test`: the bot's conversation scripts, flow coverage, JUnit XML; exit code 1 on any failure. */
export async function testCommand(options: TestOptions, io: CliOutput): Promise<void> {
  const minimum = options.minCoverage === undefined ? undefined : Number(options.minCoverage);
  if (minimum !== undefined && !(minimum >= 0 && minimum <= 100))
    throw new Error(`--min-coverage must be a percentage from 0 to 100, not "${options.minCoverage}"`);
  const bot = loadBotDefinition(options.bot);
  const url = redisUrl(options.redis);
  io.err(`Testing bot "${bot.name}" (${url ? 'Redis' : 'memory store'}; training its NLU)…\n`);
  const run = await runBotTests(bot, url ? { redisUrl: url } : {});
  io.out(formatResults(run, bot.directory));
  if (options.coverage || minimum !== undefined) io.out(formatCoverage(run.coverage));
  if (options.junit) {
    await mkdir(dirname(resolve(options.junit)), { recursive: true });
    await writeFile(options.junit, toJUnit(run, bot.directory, bot.name));
  }
  const failed = run.results.some((result) => result.failure);
  const shortfall = minimum === undefined ? undefined : coverageShortfall(run.coverage, minimum);
  if (shortfall) io.err(`${shortfall}\n`);
  if (failed || shortfall) process.exitCode = 1;
}
