import type { BotDefinition } from '../../app/bot-definition';
import { acmeEngineOptions, createAcmeImplementations } from './bot';
import { createAcmeBackend } from './services';
import { createAcmeCustomerDirectory } from './services/customer-directory';

/** The Acme telecom and retail demo bot. */
export const bot: BotDefinition = {
  name: 'acme',
  directory: __dirname,
  createImplementations: (services) => createAcmeImplementations(createAcmeBackend(), services?.devices),
  engineOptions: acmeEngineOptions,
  defaultLocale: 'en',
  companyName: 'Acme',
  customers: createAcmeCustomerDirectory(),
  handoff: {
    // The contact centre's hours, as the opening-hours flow states them (the demo keeps time in UTC).
    businessHours: {
      timeZone: 'UTC',
      weekly: {
        mon: ['08:00-20:00'],
        tue: ['08:00-20:00'],
        wed: ['08:00-20:00'],
        thu: ['08:00-20:00'],
        fri: ['08:00-20:00'],
        sat: ['09:00-17:00'],
      },
    },
  },
};
