import { loadDataset, type DatasetName } from '../nlu/bench/datasets';
import { Featurizer, DEFAULT_FEATURES } from '../nlu/features';
import { trainSoftmax, logits, DEFAULT_SOFTMAX } from '../nlu/softmax';

const name = (process.argv[2] ?? 'clinc150') as DatasetName;
const cfg = { ...DEFAULT_SOFTMAX, ...JSON.parse(process.argv[3] ?? '{}') };
const fcfg = { ...DEFAULT_FEATURES, ...JSON.parse(process.argv[4] ?? '{}') };
const ds = loadDataset(name, '/work/shared/datasets');
const train = ds.train.filter((x) => x.intent !== 'out_of_scope');
let t = Date.now();
const fz = Featurizer.fit(
  train.map((x) => x.text),
  'en',
  fcfg,
);
const classes = [...new Set(train.map((x) => x.intent))];
const X = train.map((x) => fz.transform(x.text));
const y = Int32Array.from(train.map((x) => classes.indexOf(x.intent)));
console.log('features', fz.size, 'featurize s', (Date.now() - t) / 1000);
t = Date.now();
const m = trainSoftmax(X, y, classes.length, fz.size, cfg, (e) => process.stdout.write(`${e} `));
console.log('\ntrain s', (Date.now() - t) / 1000, 'mem MB', process.memoryUsage().rss / 1e6);
for (const [splitName, split] of [
  ['val', ds.validation],
  ['test', ds.test],
] as const) {
  const ins = split.filter((x) => x.intent !== 'out_of_scope');
  let ok = 0;
  for (const x of ins) {
    const s = logits(m, fz.transform(x.text));
    let best = 0;
    for (let c = 1; c < s.length; c++) if (s[c] > s[best]) best = c;
    if (classes[best] === x.intent) ok++;
  }
  console.log(splitName, ((ok / ins.length) * 100).toFixed(2));
}
