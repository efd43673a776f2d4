import { buildRuntime, loadBotDefinition, startParley } from '../../app/bootstrap';
import { join } from 'node:path';
import { trainBotNlu, type NluModel } from '../../nlu';
import { loadConfig } from '../../app/config';
import { createAlexaConnector } from '../../connectors/alexa/alexa.connector';
import type { AlexaResponseBody } from '../../connectors/alexa/alexa.render';
import { createHttpServer } from '../../connectors/http/http-server';
import { createConnectorRegistry } from '../../core/connector-registry';
import { silentLogger } from '../../stores/silent-logger';
import { intent, launch, SKILL_ID, testCa, utterance } from '../support/alexa-harness';

const BASE_ENV = { PORT: '0', LOG_LEVEL: 'silent', PARLEY_RELOAD: 'false' } as const;
const bot = loadBotDefinition('acme');
let nlu: NluModel;
// Trained once for the file: every runtime below shares it.
beforeAll(async () => {
  nlu = await trainBotNlu(join(bot.directory, 'nlu'));
}, 60_000);

describe('Alexa as npm start wires it', () => {
  it('mounts POST /webhooks/alexa only with PARLEY_ALEXA_SKILL_ID, and verifies every request there', async () => {
    const on = await startParley(bot, loadConfig({ ...BASE_ENV, PARLEY_ALEXA_SKILL_ID: SKILL_ID }), {
      logger: silentLogger,
      nlu,
    });
    const off = await startParley(bot, loadConfig(BASE_ENV), { logger: silentLogger, nlu });
    try {
      const body = JSON.stringify(launch());
      const post = (url: string) =>
        fetch(`${url}/webhooks/alexa`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      // Unsigned: refused before anything is read or stored.
      const refused = await post(on.address.url);
      expect(refused.status).toBe(400);
      expect(await on.runtime.stores.cases.list()).toEqual([]);
      expect((await post(off.address.url)).status).toBe(404);
    } finally {
      await on.close();
      await off.close();
    }
  }, 60_000);

  it('refuses a skill id that is not one', () => {
    expect(() => loadConfig({ ...BASE_ENV, PARLEY_ALEXA_SKILL_ID: 'my-skill' })).toThrow(
      /PARLEY_ALEXA_SKILL_ID/,
    );
  });
});

describe('the acme bot on a speaker (real NLU and flows)', () => {
  it('tracks an order, takes a date from Alexa, and hands off with a call back', async () => {
    const runtime = await buildRuntime(bot, loadConfig(BASE_ENV), { logger: silentLogger, nlu });
    const ca = testCa();
    const connector = createAlexaConnector({
      skillId: SKILL_ID,
      messages: runtime.messages,
      testOnly: { trustedRoots: ca.trustedRoots, fetchChain: ca.fetchChain },
    });
    const server = createHttpServer({
      runtime,
      logger: silentLogger,
      connectors: createConnectorRegistry([connector]),
    });
    const { url } = await server.listen(0);
    const ask = async (request: object) => {
      const raw = JSON.stringify(request);
      const response = await fetch(`${url}/webhooks/alexa`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ca.signedHeaders(raw) },
        body: raw,
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as AlexaResponseBody).response;
    };
    try {
      const hello = await ask(launch());
      expect(hello.shouldEndSession).toBe(false);
      const order = await ask(utterance('where is my order A1001'));
      expect(order.outputSpeech?.ssml).toMatch(/A1001/);
      expect(order.outputSpeech?.ssml).toMatch(/shipped/i);

      const booking = await ask(utterance('I need an engineer visit'));
      expect(booking.outputSpeech?.ssml).toMatch(/Which day/);
      expect(booking.reprompt?.outputSpeech.ssml).toMatch(/Which day/);
      const tomorrow = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      const when = await ask(intent('ParleyDateIntent', { date: tomorrow }));
      expect(when.outputSpeech?.ssml).toMatch(/[Mm]orning, afternoon or evening/);

      const handoff = await ask(utterance('I want to talk to a person'));
      expect(handoff.outputSpeech?.ssml).toMatch(/call you back/);
      expect(handoff.shouldEndSession).toBe(true);
      const [opened] = await runtime.stores.cases.list();
      expect(opened?.package.transcript.some((line) => line.text === 'where is my order A1001')).toBe(true);
    } finally {
      await server.close();
      await runtime.close();
    }
  }, 90_000);
});
