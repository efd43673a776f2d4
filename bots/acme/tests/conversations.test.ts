import { flushAllKeys } from '../../../stores/redis/inspect';
import { buildRuntime } from '../../../app/bootstrap';
import { loadConfig } from '../../../app/config';
import type { ParleyRuntime } from '../../../app/runtime';
import type { Reply } from '../../../core/message';
import { loadConversationScripts } from '../../../dialogs/testing/conversation-script';
import { runConversation, type ScriptTarget } from '../../../dialogs/testing/conversation-runner';
import { trainBotNlu, type NluModel } from '../../../nlu';
import { silentLogger } from '../../../stores/silent-logger';
import { startRedisServer, type RedisServer } from '../../../test/support/redis-server';
import { bot } from '..';

/**
 * The whole Acme runtime as `npm start` builds it (real NLU, flows, fake back-end, handoff triggers),
 * on a clock the script sets, over the memory store and over Redis: the same scripts must pass on both.
 */
async function acmeTarget(
  nlu: NluModel,
  redis: RedisServer | undefined,
): Promise<ScriptTarget & { runtime: ParleyRuntime }> {
  let now = 0;
  let ids = 0;
  // Scripts name their cases case-1, case-2...: each script starts from an empty Redis.
  if (redis) await flushAllKeys(redis.url);
  const config = loadConfig({ LOG_LEVEL: 'silent', ...(redis ? { REDIS_URL: redis.url } : {}) });
  const runtime = await buildRuntime(bot, config, {
    logger: silentLogger,
    clock: { now: () => now },
    ids: { next: () => `case-${(ids += 1)}` },
    nlu,
  });
  return {
    runtime,
    handle: (message) => runtime.handle(message),
    // Hand-back replies reach the customer as pushes, like an agent's messages.
    handBack: async (conversationId, input) => {
      const pushed: Reply[] = [];
      const stop = await runtime.onPush(conversationId, (reply) => pushed.push(reply));
      await runtime.handBack(conversationId, input);
      await stop();
      return pushed;
    },
    stores: runtime.stores,
    setNow: (epochMs) => {
      now = epochMs;
    },
  };
}

describe.each(['memory', 'redis'] as const)('Acme conversation scripts (%s store)', (kind) => {
  let nlu: NluModel;
  let redis: RedisServer | undefined;
  const runtimes: ParleyRuntime[] = [];

  beforeAll(async () => {
    nlu = await trainBotNlu(`${bot.directory}/nlu`);
    if (kind === 'redis') redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((runtime) => runtime.close()));
    await redis?.stop();
  });

  for (const script of loadConversationScripts(__dirname)) {
    it(`${script.file.split('/').pop()}: ${script.name}`, async () => {
      const target = await acmeTarget(nlu, redis);
      runtimes.push(target.runtime);
      await runConversation(script, target);
    });
  }
});
