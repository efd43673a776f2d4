import { loadTrainingData, type TrainingData } from '../../nlu/loader';
import { frames, spokenAudio } from '../../test/support/spoken-audio';
import { spokenWords, writtenText } from '../spoken';
import { UtteranceStream } from '../utterance-stream';
import { buildGrammar, patternExpansion } from './grammar';
import { parseOutput } from './recognizer';
import { PocketsphinxSpeechToText } from './engine';
import type { Transcript } from '../../core/speech';

const EN = { locale: 'en-US', phrases: [] as string[] };

describe('spoken forms', () => {
  it('spells codes and numbers the way callers say them', () => {
    expect(spokenWords("Where's my order A1001?")).toEqual([
      "where's",
      'my',
      'order',
      'a',
      'one',
      'zero',
      'zero',
      'one',
    ]);
    expect(writtenText(spokenWords('where is my order A1001'))).toBe('where is my order A1001');
    expect(writtenText(['account', 'one', 'two', 'oh', 'four'])).toBe('account 1204');
    expect(writtenText(['i', 'want', 'a', 'two', 'year', 'contract'])).toBe('i want a two year contract');
    // A cloud engine's own digits and capitals join the same way; a lone number stays as written.
    expect(writtenText('where is my order A 1001'.split(' '))).toBe('where is my order A1001');
    expect(writtenText('order a one 0 0 1'.split(' '))).toBe('order A1001');
    expect(writtenText('I want 2 tickets'.split(' '))).toBe('I want 2 tickets');
  });

  it("reads pocketsphinx's timed output: the words, and the least sure word's posterior", () => {
    const out =
      'cancel my contract\n<s> 0.000 0.100 1.000000\ncancel 0.110 0.500 0.930000\nmy 0.510 0.600 1.000000\none(2) 0.610 0.900 0.800000\n';
    expect(parseOutput(out)).toEqual({ words: ['cancel', 'my', 'contract'], confidence: 0.8 });
    expect(parseOutput('')).toEqual({ words: [] });
  });

  it('turns simple entity patterns into spoken shapes', () => {
    expect(patternExpansion('\\b[Aa]\\d{4}\\b')).toBe('a <digit> <digit> <digit> <digit>');
    expect(patternExpansion('\\b[A-Za-z]{1,2}\\d[A-Za-z\\d]?\\s?\\d[A-Za-z]{2}\\b')).toBe(
      '<letter> [<letter>] <digit> [(<letter> | <digit>)] <digit> <letter> <letter>',
    );
    expect(patternExpansion('(order|ref)\\d+')).toBeUndefined();
  });
});

describe('grammar from training data', () => {
  const training: TrainingData = {
    examples: [
      { text: "Where's my order A1001?", intent: 'order_status', language: 'en' },
      { text: 'cancel my contract', intent: 'cancel', language: 'en' },
      { text: 'wheres my oder', intent: 'order_status', language: 'en' },
      { text: 'cancelar mi contrato', intent: 'cancel', language: 'es' },
    ],
    entities: [{ name: 'order_number', pattern: '\\b[Aa]\\d{4}\\b' }],
  };
  const dictionary = new Set(["where's", 'my', 'order', 'cancel', 'contract', 'a', 'one', 'zero']);

  it('accepts the phrases with any value of an entity, and skips words nobody can pronounce', () => {
    const grammar = buildGrammar({ training, language: 'en', dictionary });
    expect(grammar.jsgf).toContain("where's my order <order_number>");
    expect(grammar.jsgf).toContain('<order_number> = a <digit> <digit> <digit> <digit>;');
    expect(grammar.jsgf).not.toContain('cancelar');
    expect(grammar.skipped).toEqual([{ phrase: 'wheres my oder', unknown: ['wheres', 'oder'] }]);
    expect(grammar.jsgf).not.toMatch(/\|\s*<order_number>;/);
  });

  it('lets the slot being asked be said on its own', () => {
    const grammar = buildGrammar({ training, language: 'en', dictionary, slot: 'order_number' });
    expect(grammar.jsgf).toMatch(/\|\s*<order_number>;/);
  });
});

describe('PocketsphinxSpeechToText (Debian pocketsphinx, audio from espeak-ng)', () => {
  let engine: PocketsphinxSpeechToText;
  beforeAll(async () => {
    engine = await PocketsphinxSpeechToText.create({ training: await loadTrainingData('bots/acme/nlu') });
  });
  afterAll(() => engine.dispose());

  it('recognises an order number spoken on a telephone line', async () => {
    const audio = spokenAudio('where is my order A one zero zero one');
    const { text } = await engine.recognize(audio, { encoding: 'mulaw', sampleRateHertz: 8000 }, EN);
    expect(text).toContain('A1001');
    expect(text).toMatch(/^where('s| is) my order/);
  });

  it("reports pocketsphinx's confidence on a stream's transcript", async () => {
    const stream = engine.open({ encoding: 'mulaw', sampleRateHertz: 8000 }, EN) as UtteranceStream;
    const transcripts: Transcript[] = [];
    stream.onTranscript((t) => transcripts.push(t));
    for (const frame of frames(spokenAudio('cancel my contract', 'mulaw-8k', 1000))) stream.write(frame);
    await stream.settled();
    expect(transcripts[0]?.confidence).toBeGreaterThan(0);
    expect(transcripts[0]?.confidence).toBeLessThanOrEqual(1);
    stream.close();
  });

  it.each([
    ['i want to cancel my contract', 'i want to cancel my contract'],
    ['how do I cancel my broadband', 'how do i cancel my broadband'],
    ['what is the balance on account one two three four five six seven eight', '12345678'],
  ])('recognises "%s" in wideband audio', async (said, expected) => {
    const audio = spokenAudio(said, 'linear16-16k');
    const { text } = await engine.recognize(audio, { encoding: 'linear16', sampleRateHertz: 16000 }, EN);
    expect(text).toContain(expected);
  });

  it('hears a bare order number when the order number is being asked for', async () => {
    const audio = spokenAudio('A two four one seven', 'linear16-16k');
    const format = { encoding: 'linear16', sampleRateHertz: 16000 } as const;
    const { text } = await engine.recognize(audio, format, { ...EN, slot: 'order_number' });
    expect(text).toBe('A2417');
  });

  it('streams 20 ms frames: speech start, then a final transcript after the caller stops', async () => {
    const stream = engine.open({ encoding: 'mulaw', sampleRateHertz: 8000 }, EN) as UtteranceStream;
    const events: string[] = [];
    const transcripts: Transcript[] = [];
    stream.onSpeechStart(() => events.push('speech'));
    stream.onTranscript((t) => {
      events.push('transcript');
      transcripts.push(t);
    });
    stream.onError((e) => events.push(`error ${e.message}`));
    for (const frame of frames(spokenAudio('where is my order A one zero zero one', 'mulaw-8k', 1000)))
      stream.write(frame);
    await stream.settled();
    expect(events).toEqual(['speech', 'transcript']);
    expect(transcripts[0]).toMatchObject({ final: true });
    expect(transcripts[0].text).toContain('A1001');
    stream.close();
  });
});
