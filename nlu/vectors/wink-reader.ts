import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { quantiseRow, WordVectors } from './word-vectors';

const MARKER = '"vectors":{';
/** One entry of the `vectors` object: `"word":[v1,...,vD,norm,index]`. */
const ENTRY = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/y;
const CHUNK_BYTES = 1 << 22;

/**
 * Reads the `vectors` object of a wink embeddings file (GloVe vectors, most frequent words first)
 * and keeps the first `maxWords`. JSON.parse of the whole 300 MB file would need gigabytes; this
 * holds one 4 MB chunk and the kept vectors, and stops reading once it has enough.
 */
export function readWinkVectors(
  path: string,
  dimensions: number,
  maxWords: number,
  chunkBytes = CHUNK_BYTES,
): WordVectors {
  const words: string[] = [];
  const scales = new Float32Array(maxWords);
  const codes = new Int8Array(maxWords * dimensions);
  const keep = (rawWord: string, numbers: string): void => {
    const values = numbers.split(',').map(Number);
    if (values.length < dimensions || values.some((v) => !Number.isFinite(v))) {
      throw new Error(`${path}: the vector of "${rawWord}" is not ${dimensions} numbers`);
    }
    const row = words.length;
    scales[row] = quantiseRow(values, dimensions, codes, row * dimensions);
    words.push(JSON.parse(`"${rawWord}"`) as string);
  };
  const fd = openSync(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(chunkBytes);
    let pending = '';
    let inside = false;
    let ended = false;
    for (
      let read = readSync(fd, buffer);
      read > 0 && !ended && words.length < maxWords;
      read = readSync(fd, buffer)
    ) {
      pending += decoder.write(buffer.subarray(0, read));
      if (!inside) {
        const at = pending.indexOf(MARKER);
        if (at < 0) {
          pending = pending.slice(-MARKER.length);
          continue;
        }
        inside = true;
        pending = pending.slice(at + MARKER.length);
      }
      // Entries are read in place, one after another, until the object's closing brace.
      let consumed = 0;
      while (!ended && words.length < maxWords && consumed < pending.length) {
        if (pending[consumed] === ',') {
          consumed++;
          continue;
        }
        if (pending[consumed] === '}') {
          ended = true;
          break;
        }
        ENTRY.lastIndex = consumed;
        const match = ENTRY.exec(pending);
        if (!match) break; // the entry continues in the next chunk
        keep(match[1], match[2]);
        consumed = ENTRY.lastIndex;
      }
      pending = pending.slice(consumed);
    }
    if (!inside) throw new Error(`${path}: no "vectors" object`);
  } finally {
    closeSync(fd);
  }
  const count = words.length;
  return new WordVectors(dimensions, words, codes.slice(0, count * dimensions), scales.slice(0, count));
}
