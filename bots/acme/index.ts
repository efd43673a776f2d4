import type { BotDefinition } from '../../app/bot-definition';
import { acmeEngineOptions, createAcmeImplementations } from './bot';
import { createAcmeBackend } from './services';

/** The Acme telecom and retail demo bot. */
export const bot: BotDefinition = {
  name: 'acme',
  directory: __dirname,
  createImplementations: () => createAcmeImplementations(createAcmeBackend()),
  engineOptions: acmeEngineOptions,
  defaultLocale: 'en',
  companyName: 'Acme',
};
