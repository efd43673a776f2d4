import { loadDataset } from '../nlu/bench/datasets';
import { Featurizer } from '../nlu/features';
import { logits } from '../nlu/softmax';
const ds = loadDataset('clinc150', '/work/shared/datasets');
const train = ds.train.filter((x) => x.intent !== 'out_of_scope');
const fz = Featurizer.fit(
  train.map((x) => x.text),
  'en',
);
const X = train.map((x) => fz.transform(x.text));
console.log('avg nnz', X.reduce((a, x) => a + x.idx.length, 0) / X.length);
const m = {
  classes: 150,
  features: fz.size,
  weights: new Float32Array(fz.size * 150),
  bias: new Float32Array(150),
};
const out = new Float64Array(150);
let t = Date.now();
for (const x of X) logits(m, x, out);
console.log('forward f32 ms', Date.now() - t);
const m2 = { ...m, weights: new Float64Array(fz.size * 150) as unknown as Float32Array };
t = Date.now();
for (const x of X) logits(m2, x, out);
t = Date.now();
for (const x of X) logits(m2, x, out);
console.log('forward f64 ms', Date.now() - t);
t = Date.now();
for (const x of X) logits(m, x, out);
console.log('forward f32 ms', Date.now() - t);
