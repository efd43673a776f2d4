const K = 150,
  F = 47646,
  N = 15000,
  NNZ = 121;
const w = new Float32Array(F * K).fill(0.01);
const rows: { idx: Int32Array; val: Float32Array }[] = [];
let s = 1;
const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
for (let i = 0; i < N; i++)
  rows.push({
    idx: Int32Array.from({ length: NNZ }, () => Math.floor(rnd() * F)),
    val: Float32Array.from({ length: NNZ }, rnd),
  });
function a(x: { idx: Int32Array; val: Float32Array }, out: Float64Array) {
  out.fill(0);
  for (let j = 0; j < x.idx.length; j++) {
    const row = x.idx[j] * K;
    const v = x.val[j];
    for (let c = 0; c < K; c++) out[c] += w[row + c] * v;
  }
}
function b(x: { idx: Int32Array; val: Float32Array }, out: Float32Array) {
  out.fill(0);
  const idx = x.idx,
    val = x.val,
    n = idx.length;
  for (let j = 0; j < n; j++) {
    const v = val[j];
    let p = idx[j] * K;
    for (let c = 0; c < K; c++, p++) out[c] += w[p] * v;
  }
}
function c4(x: { idx: Int32Array; val: Float32Array }, out: Float64Array) {
  out.fill(0);
  const idx = x.idx,
    val = x.val,
    n = idx.length;
  for (let j = 0; j < n; j++) {
    const v = val[j];
    const sub = w.subarray(idx[j] * K, idx[j] * K + K);
    for (let c = 0; c < K; c++) out[c] += sub[c] * v;
  }
}
for (let rep = 0; rep < 2; rep++) {
  let t = Date.now();
  const o = new Float64Array(K);
  for (const x of rows) a(x, o);
  console.log('a', Date.now() - t);
  t = Date.now();
  const o2 = new Float32Array(K);
  for (const x of rows) b(x, o2);
  console.log('b', Date.now() - t);
  t = Date.now();
  for (const x of rows) c4(x, o);
  console.log('c', Date.now() - t);
}
