import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { botDirectory, hasBotDefinition, loadBotDefinition } from '../../app/bot-definition';
import { buildInteractionModel, invocationNameSchema } from '../../connectors/alexa/alexa.model';
import { readFlowDir } from '../../dialogs/flow-loader';
import { loadBotTrainingData } from '../../nlu';
import type { CliOutput } from '../commands/flows';

export interface ModelOptions {
  bot: string;
  out?: string;
  invocation?: string;
  locale: string;
}

/** Builds the interaction model from the bot's training phrases and flows; exit code 1 with a reason if not. */
export async function modelCommand(options: ModelOptions, io: CliOutput): Promise<void> {
  const directory = botDirectory(options.bot);
  const language = options.locale.toLowerCase().split('-')[0] ?? 'en';
  const fail = (message: string): void => {
    io.err(`${message}\n`);
    process.exitCode = 1;
  };
  const company = hasBotDefinition(directory) ? loadBotDefinition(directory).companyName : undefined;
  const name =
    options.invocation ?? `${company ?? directory.split(/[/\\]/).filter(Boolean).at(-1) ?? 'our'} support`;
  const invocation = invocationNameSchema.safeParse(name);
  if (!invocation.success)
    return fail(
      `--invocation "${name}": ${invocation.error.issues.map((issue) => issue.message).join('; ')}`,
    );
  const training = await loadBotTrainingData(join(directory, 'nlu'));
  const { flows, issues } = readFlowDir(join(directory, 'flows'));
  if (issues.length > 0)
    return fail(`the bot's flows do not validate: run \`parley flows validate --bot ${options.bot}\``);
  const phrases = training.examples.filter((example) => example.language === language).map((e) => e.text);
  if (phrases.length === 0) return fail(`no training phrases in ${language} under ${join(directory, 'nlu')}`);
  const slotEntities = flows.flatMap((flow) =>
    Object.entries(flow.spec.slots ?? {}).map(([slot, spec]) => spec.entity ?? slot),
  );
  const patterns = Object.fromEntries(
    training.entities.flatMap((entity) => (entity.pattern ? [[entity.name, entity.pattern]] : [])),
  );
  const model = buildInteractionModel({
    invocationName: invocation.data,
    language,
    phrases,
    slotEntities,
    patterns,
  });
  const json = `${JSON.stringify(model, null, 2)}\n`;
  if (!options.out) return io.out(json);
  await writeFile(options.out, json);
  const { intents, types } = model.interactionModel.languageModel;
  io.out(
    `wrote ${options.out}: ${intents.length} intents, ${types[0]?.values.length ?? 0} catch-all values\n`,
  );
}
