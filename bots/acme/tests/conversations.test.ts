import { flushAllKeys } from '../../../stores/redis/inspect';
import { createScriptTarget } from '../../../app/bot-tests';
import type { ParleyRuntime } from '../../../app/runtime';
import { loadConversationScripts } from '../../../dialogs/testing/conversation-script';
import { runConversation } from '../../../dialogs/testing/conversation-runner';
import { trainBotNlu, type NluModel } from '../../../nlu';
import { startRedisServer, type RedisServer } from '../../../test/support/redis-server';
import { bot } from '..';

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
      // Every script talks as the same customer: each starts from an empty Redis.
      if (redis) await flushAllKeys(redis.url);
      const target = await createScriptTarget(bot, nlu, {
        ...(redis ? { redisUrl: redis.url } : {}),
        ...(script.lookups ? { lookups: script.lookups } : {}),
      });
      runtimes.push(target.runtime);
      await runConversation(script, target);
    });
  }
});
