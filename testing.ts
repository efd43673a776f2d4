/**
 * `parley/testing`: run a bot's conversation scripts from your own test runner, as `parley test` does.
 * Kept apart from `parley` because it loads the whole runtime (stores, connectors).
 *
 * @example
 * import { runBotTests } from 'parley/testing';
 * import { bot } from '..';
 *
 * it('passes every conversation script', async () => {
 *   const { results } = await runBotTests(bot);
 *   expect(results.filter((result) => result.failure)).toEqual([]);
 * });
 */
export { runBotTests, type BotTestOptions, type BotTestRun, type ScriptResult } from './app/bot-tests';
