import type { SparseVector } from './features';
import { allRows, packRows, rowAt, rowCount } from './rows';

const row = (pairs: [number, number][]): SparseVector => ({
  idx: Int32Array.from(pairs.map(([i]) => i)),
  val: Float32Array.from(pairs.map(([, v]) => v)),
});

describe('packed rows', () => {
  const rows = [
    row([
      [3, 0.5],
      [7, 0.25],
    ]),
    row([]),
    row([[1, 1]]),
  ];

  it('packs rows into shared memory and gives each back unchanged', () => {
    const packed = packRows(rows.length, 8, (r) => rows[r]);
    expect(rowCount(packed)).toBe(3);
    expect(Array.from(packed.offsets)).toEqual([0, 2, 2, 3]);
    expect(packed.val.buffer).toBeInstanceOf(SharedArrayBuffer);
    rows.forEach((x, r) => expect(rowAt(packed, r)).toEqual(x));
  });

  it('stores feature numbers in 16 bits only while every feature fits', () => {
    expect(packRows(rows.length, 1 << 16, (r) => rows[r]).idx).toBeInstanceOf(Uint16Array);
    const wide = [row([[70000, 1]])];
    const packed = packRows(1, 70001, (r) => wide[r]);
    expect(packed.idx).toBeInstanceOf(Int32Array);
    expect(rowAt(packed, 0)).toEqual(wide[0]);
  });

  it('refuses a row that changes between the sizing and the filling pass', () => {
    let calls = 0;
    const unstable = (): SparseVector => (calls++ === 0 ? row([[0, 1]]) : row([]));
    expect(() => packRows(1, 4, unstable)).toThrow('row 0 changed between passes');
  });

  it('numbers every row in order', () => {
    expect(Array.from(allRows(4))).toEqual([0, 1, 2, 3]);
  });
});
