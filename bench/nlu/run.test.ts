import type { DatasetSplits, LabelledText } from './datasets';
import { runBench } from './run';

const phrases = (intent: string, texts: string[]): LabelledText[] => texts.map((text) => ({ text, intent }));

describe('the benchmark protocol', () => {
  const train = [
    ...phrases('weather', [
      'what is the weather',
      'will it rain today',
      'is it sunny outside',
      'forecast please',
    ]),
    ...phrases('music', ['play some music', 'put on a song', 'play my playlist', 'next track please']),
  ];
  // Only the whole train split teaches "zebra" and "giraffe": a model trained on the carved
  // remainder cannot get the test right.
  const carvedOut = [
    ...phrases('weather', ['zebra weather report', 'zebra forecast']),
    ...phrases('music', ['giraffe tunes now', 'giraffe song']),
  ];
  const splits = (fullTrain?: LabelledText[]): DatasetSplits => ({
    name: 'snips',
    train,
    validation: carvedOut,
    test: phrases('weather', ['zebra']).concat(phrases('music', ['giraffe'])),
    hasOutOfScope: false,
    ...(fullTrain ? { fullTrain } : {}),
  });

  it('reports a model trained on the whole train split where validation was carved from it', async () => {
    const carved = await runBench('parley', splits([...train, ...carvedOut]));
    expect(carved.accuracy).toBe(1);
    // Control: without the whole split the same test is not answered.
    const only = await runBench('parley', splits());
    expect(only.accuracy).toBeLessThan(1);
    expect(only.threshold).toBe(0);
  });

  it('still chooses the threshold on the carved validation where it has out-of-scope items', async () => {
    const withRejects: DatasetSplits = {
      ...splits([...train, ...carvedOut]),
      validation: [
        ...train.slice(0, 3),
        ...phrases('out_of_scope', ['xylophone quantum', 'blorp', 'vexed koala']),
      ],
    };
    const result = await runBench('parley', withRejects);
    expect(result.threshold).toBeGreaterThan(0);
  });
});
