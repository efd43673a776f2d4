import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT_OF_SCOPE } from '../core/nlu';
import { loadNluModel, loadTrainingData, trainBotNlu, trainNlu, TrainingDataError } from '.';

const now = new Date('2025-06-04T10:00:00Z');

async function botDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-nlu-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('demo bot NLU', () => {
  // Training time is a benchmark figure (`parley nlu train`, `npm run bench:nlu`), never a test assertion.
  it('understands unseen phrasings with entities', async () => {
    const model = await trainBotNlu('bots/acme/nlu');
    const order = await model.parse('hiya, any news on my order A7777?', { now, locale: 'en-GB' });
    expect(order.intent.name).toBe('order_status');
    expect(order.entities.map((e) => [e.entity, e.value])).toEqual([['order_number', 'A7777']]);
    const visit = await model.parse('could the engineer come next Tuesday at 3pm', { now });
    expect(visit.intent.name).toBe('book_appointment');
    expect(visit.entities[0]).toMatchObject({ entity: 'datetime', value: '2025-06-10T15:00:00Z' });
  });

  it('answers out_of_scope below the threshold but still ranks the real intents', async () => {
    const model = await trainBotNlu('bots/acme/nlu', { threshold: 0.999999 });
    const result = await model.parse('what is the boiling point of mercury', { now });
    expect(result.intent.name).toBe(OUT_OF_SCOPE);
    expect(result.intent_ranking.length).toBeGreaterThan(0);
    expect(result.intent_ranking.every((r) => r.name !== OUT_OF_SCOPE)).toBe(true);
  });

  it('can put the threshold on the margin between the two best classes, and keeps that choice', async () => {
    const model = await trainBotNlu('bots/acme/nlu', { oosScore: 'margin', threshold: 0.999999 });
    const ranked = model.rank('I forgot my password', 'en');
    expect(model.scopeScore(ranked)).toBeCloseTo(ranked[0].confidence - ranked[1].confidence, 9);
    expect((await model.parse('I forgot my password', { now })).intent.name).toBe(OUT_OF_SCOPE);
    expect(loadNluModel(model.serialize()).oosScore).toBe('margin');
  });

  it('serialises and loads to a model that gives the same answers', async () => {
    const model = await trainBotNlu('bots/acme/nlu');
    const loaded = loadNluModel(model.serialize());
    expect(loaded.intents()).toEqual(model.intents());
    const a = await model.parse('I forgot my password', { now });
    const b = await loaded.parse('I forgot my password', { now });
    expect(b.intent.name).toBe(a.intent.name);
    expect(b.intent.confidence).toBeCloseTo(a.intent.confidence, 5);
  });
});

describe('training data files', () => {
  it('reads intents, entities and per-folder languages', async () => {
    const dir = await botDir({
      'a.yaml':
        'intents:\n  greet: [hi, hello]\n  bye: [bye, see you]\nentities:\n  code:\n    pattern: "X\\\\d+"\n',
      'es/a.yaml': 'intents:\n  greet: [hola, buenas]\n  bye: [adiós, hasta luego]\n',
    });
    const data = await loadTrainingData(dir);
    expect(data.examples.filter((e) => e.language === 'es').map((e) => e.text)).toEqual([
      'hola',
      'buenas',
      'adiós',
      'hasta luego',
    ]);
    expect(data.entities).toEqual([{ name: 'code', pattern: 'X\\d+' }]);
    const model = await trainNlu(data);
    expect((await model.parse('hola amigo')).locale).toBe('es');
    expect((await model.parse('hi', { locale: 'es-ES' })).locale).toBe('es');
  });

  it('names the file, line and reason of a bad file', async () => {
    const dir = await botDir({ 'bad.yaml': 'intents:\n  greet:\n    - hi\n    - 42\n' });
    const error = await loadTrainingData(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDataError);
    expect((error as TrainingDataError).file).toMatch(/bad\.yaml$/);
    expect((error as TrainingDataError).line).toBe(4);
    expect((error as Error).message).toMatch(/intents\.greet\.1/);
  });

  it('reports YAML syntax errors with their line', async () => {
    const dir = await botDir({ 'broken.yaml': 'intents:\n  greet: [hi\n  bye: [bye]\n' });
    await expect(loadTrainingData(dir)).rejects.toThrow(/broken\.yaml:\d+: /);
  });
});
