import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_OF_SCOPE } from '../../core/nlu';
import { seededRandom, shuffle } from '../../nlu/softmax';

export interface LabelledText {
  text: string;
  intent: string;
}

/** A benchmark's standard splits; out-of-scope items carry the intent `out_of_scope`. */
export interface DatasetSplits {
  name: DatasetName;
  train: LabelledText[];
  validation: LabelledText[];
  test: LabelledText[];
  /**
   * The whole train split, where `validation` was carved out of it: once the threshold is chosen
   * on the carved validation, the reported model learns from all of it, as the standard split
   * intends (the threshold is a calibrated probability, so it carries over).
   */
  fullTrain?: LabelledText[];
  /** True when the test split has out-of-scope items (only CLINC150). */
  hasOutOfScope: boolean;
}

export const DATASETS = ['clinc150', 'banking77', 'hwu64', 'snips'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** RFC 4180 CSV (quoted fields, doubled quotes, separators inside quotes). */
export function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/**
 * Where a dataset has no validation split, one is carved from train: a fixed share per intent,
 * with a fixed seed, so every run and every peer sees the same split.
 */
export function carveValidation(
  train: LabelledText[],
  share = 0.1,
  seed = 7,
): { train: LabelledText[]; validation: LabelledText[]; fullTrain: LabelledText[] } {
  const byIntent = new Map<string, LabelledText[]>();
  for (const item of train) byIntent.set(item.intent, [...(byIntent.get(item.intent) ?? []), item]);
  const random = seededRandom(seed);
  const kept: LabelledText[] = [];
  const validation: LabelledText[] = [];
  for (const items of byIntent.values()) {
    const shuffled = shuffle([...items], random);
    const cut = Math.max(1, Math.round(items.length * share));
    validation.push(...shuffled.slice(0, cut));
    kept.push(...shuffled.slice(cut));
  }
  return { train: kept, validation, fullTrain: train };
}

function clinc(dir: string): DatasetSplits {
  const data = JSON.parse(readFileSync(join(dir, 'data_full.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  const split = (name: string, oos?: string): LabelledText[] => [
    ...data[name].map(([text, intent]) => ({ text, intent })),
    ...(oos ? data[oos].map(([text]) => ({ text, intent: OUT_OF_SCOPE })) : []),
  ];
  return {
    name: 'clinc150',
    train: split('train', 'oos_train'),
    validation: split('val', 'oos_val'),
    test: split('test', 'oos_test'),
    hasOutOfScope: true,
  };
}

function banking(dir: string): DatasetSplits {
  const read = (file: string): LabelledText[] =>
    parseCsv(readFileSync(join(dir, file), 'utf8'))
      .slice(1)
      .map(([text, intent]) => ({ text, intent }));
  return {
    name: 'banking77',
    ...carveValidation(read('train.csv')),
    test: read('test.csv'),
    hasOutOfScope: false,
  };
}

function hwu(dir: string): DatasetSplits {
  const read = (folder: string): LabelledText[] => {
    const path = join(dir, 'KFold_1', folder);
    return readdirSync(path)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .flatMap((file) => {
        const [header, ...rows] = parseCsv(readFileSync(join(path, file), 'utf8'), ';');
        const col = (name: string): number => header.indexOf(name);
        return rows.map((r) => ({
          text: r[col('answer_from_anno')],
          intent: `${r[col('scenario')]}_${r[col('intent')]}`,
        }));
      });
  };
  return { name: 'hwu64', ...carveValidation(read('trainset')), test: read('testset'), hasOutOfScope: false };
}

interface SnipsFile {
  [intent: string]: { data: { text: string }[] }[];
}

function snips(dir: string): DatasetSplits {
  const intents = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const read = (intent: string, file: string): LabelledText[] => {
    // One file holds CESU-8 surrogates (emoji); a lenient UTF-8 decode turns them into U+FFFD.
    const raw = new TextDecoder('utf-8', { fatal: false }).decode(readFileSync(join(dir, intent, file)));
    const parsed = JSON.parse(raw) as SnipsFile;
    return parsed[intent].map((u) => ({ text: u.data.map((d) => d.text).join(''), intent }));
  };
  const train = intents.flatMap((i) => read(i, `train_${i}_full.json`));
  const test = intents.flatMap((i) => read(i, `validate_${i}.json`));
  return { name: 'snips', ...carveValidation(train), test, hasOutOfScope: false };
}

const FOLDERS: Record<DatasetName, string> = {
  clinc150: 'clinc150',
  banking77: 'banking77',
  hwu64: 'hwu64',
  snips: 'snips-2017-06',
};

const LOADERS: Record<DatasetName, (dir: string) => DatasetSplits> = {
  clinc150: clinc,
  banking77: banking,
  hwu64: hwu,
  snips,
};

export function loadDataset(name: DatasetName, root: string): DatasetSplits {
  return LOADERS[name](join(root, FOLDERS[name]));
}
