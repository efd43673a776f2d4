import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { DatasetName } from '../../bench/nlu/datasets';
import type { PEERS } from '../../bench/nlu/systems';
import type { BenchOptions, EvalOptions, ParseOptions, TrainOptions } from '../actions/nlu';

// The NLU, its benchmarks and its peers (~40 MB) load only when an nlu command runs; see cli/main.ts.
const actions = (): typeof import('../actions/nlu') =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see cli/main.ts
  require('../actions/nlu') as typeof import('../actions/nlu');

/** True when `Listed` names every member of `All`. */
type ListsAll<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;

// The names for the help text, spelled out so that registering the commands loads no NLU code
// (nlu/bench/systems loads the whole model). The types keep them in step with nlu/bench; the
// bench command itself validates against the real lists.
const DATASET_NAMES = ['clinc150', 'banking77', 'hwu64', 'snips'] as const satisfies readonly DatasetName[];
const PEER_NAMES = ['natural-bayes', 'nlpjs'] as const satisfies readonly (typeof PEERS)[number][];
const _everyNameListed: [
  ListsAll<DatasetName, (typeof DATASET_NAMES)[number]>,
  ListsAll<(typeof PEERS)[number], (typeof PEER_NAMES)[number]>,
] = [true, true];

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerNluCommands(program: Command): void {
  const nlu = program
    .command('nlu')
    .description('train, evaluate and benchmark intent and entity recognition');
  nlu
    .command('train')
    .description("train a bot's NLU model from its nlu/*.yaml and write it to a file")
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .option('--out <file>', 'model file', 'artifacts/nlu-model.json')
    .option('--threshold <p>', 'out-of-scope threshold stored in the model')
    .option('--json', 'print the summary, training time included, as JSON')
    .action((options: TrainOptions) => actions().trainCommand(options));
  nlu
    .command('parse <text>')
    .description('understand one message (trains from the bot folder unless --model is given)')
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .option('--model <file>', 'a model written by `nlu train`')
    .option('--locale <tag>', "the channel's locale, e.g. es-ES")
    .action((text: string, options: ParseOptions) => actions().parseCommand(text, options));
  nlu
    .command('eval')
    .description("k-fold cross-validation on a bot's own phrases, with an HTML report")
    .option('--bot <name-or-dir>', 'a bot name under bots/, or a bot folder', 'acme')
    .option('--folds <k>', 'number of folds', '5')
    .option('--report <file>', 'HTML report path', 'artifacts/nlu-report.html')
    .option('--json', 'print the summary as JSON')
    .action((options: EvalOptions) => actions().evalCommand(options));
  nlu
    .command('bench')
    .description('train on a public dataset, tune the threshold on validation, report on test')
    .requiredOption('--dataset <name>', DATASET_NAMES.join(' | '))
    .option('--peer <name>', `also run a peer (${PEER_NAMES.join(', ')}); repeatable`, collect, [])
    .option('--datasets <dir>', 'folder of the public datasets', resolve('..', 'shared', 'datasets'))
    .option('--json', 'print one JSON object per system')
    .option(
      '--objective <name>',
      'what the validation-tuned threshold maximises: accuracy (out_of_scope as a class) | balanced (in-scope accuracy + OOS recall)',
      'accuracy',
    )
    .option('--no-oos-train', 'leave out-of-scope phrases (CLINC150 oos_train) out of training')
    .addOption(new Option('--system <name>', 'run one system in this process (used for peers)').hideHelp())
    .action((options: BenchOptions) => actions().benchCommand(options));
}
