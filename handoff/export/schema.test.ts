import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { createIntentTrigger } from '../triggers/intents';
import { createSentimentTrigger } from '../triggers/sentiment-trigger';
import { triggerRuntime } from '../../test/support/trigger-runtime';
import { sampleCase } from '../../test/support/handoff-export';
import { handoffPackageJsonSchema, SCHEMA_ID, SCHEMA_PATH } from './write-schema';

/** The published schema, read as an outsider would: from the committed file, with a generic validator. */
const published = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(published);

describe('handoff-package.schema.json', () => {
  it('is the schema generated from the zod schema (run `npm run schema` after changing it)', () => {
    expect(published).toEqual(handoffPackageJsonSchema());
    expect(published['$id']).toBe(SCHEMA_ID);
  });

  it('accepts a cross-channel package', () => {
    const valid = validate(JSON.parse(JSON.stringify(sampleCase().package)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('accepts the packages the runtime really builds when triggers escalate', async () => {
    const { runtime, handoff, stores, send } = triggerRuntime();
    runtime.pipeline.use('decide', createSentimentTrigger({ handoff, transcripts: stores.transcripts }));
    runtime.pipeline.use('decide', createIntentTrigger({ handoff, intents: { cancel_service: 'policy' } }));
    await send('intent:order_status where is my order?', 'a');
    await send("this is absolutely useless, I'm furious", 'a');
    await send('intent:cancel_service cancel my contract', 'b');
    const cases = await stores.cases.list();
    expect(cases.map((c) => c.package.reason).sort()).toEqual(['negative_sentiment', 'policy']);
    for (const item of cases) {
      expect(validate(JSON.parse(JSON.stringify(item.package)))).toBe(true);
    }
  });

  it('rejects a package with an unknown reason, a missing transcript, or a confidence above 1', () => {
    const pkg = JSON.parse(JSON.stringify(sampleCase().package)) as Record<string, unknown>;
    expect(validate({ ...pkg, reason: 'bored' })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/reason');
    const { transcript: _dropped, ...withoutTranscript } = pkg;
    expect(validate(withoutTranscript)).toBe(false);
    expect(validate.errors?.[0]?.params).toEqual({ missingProperty: 'transcript' });
    const transcript = [{ at: 1, speaker: 'customer', channel: 'rest', text: 'hi', confidence: 1.5 }];
    expect(validate({ ...pkg, transcript })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/transcript/0/confidence');
  });

  it('refuses another package version', () => {
    const pkg = JSON.parse(JSON.stringify(sampleCase().package)) as Record<string, unknown>;
    expect(validate({ ...pkg, version: 2 })).toBe(false);
  });
});
