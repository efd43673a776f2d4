// The bot's definition: Parley loads this file (`export const bot`). Flows name the look-ups below; the
// built-in skills (help, a person, greetings, cancel, "say that again") and the framework's sentences in
// every language come with Parley.
import { defineBot, type DialogImplementations, type JsonValue } from 'parley';
import { createServices, type Services } from './services';

function implementations(services: Services): DialogImplementations {
  return {
    lookups: {
      openingHours: (): JsonValue => ({ week: services.hours.week() }),
    },
  };
}

export const bot = defineBot({
  name: 'template-bot',
  directory: __dirname,
  companyName: 'Template Co',
  defaultLocale: 'en',
  createImplementations: () => implementations(createServices()),
  // What help, the greeting and the fallback offer, in this order.
  engineOptions: { menu: ['opening_hours', 'contact_details'] },
});
