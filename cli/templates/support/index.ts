// The bot's definition: Parley loads this file (`export const bot`). Flows name the look-ups, guards and
// validators below; the built-in skills (help, a person, greetings, cancel, "say that again") and the
// framework's sentences in every language come with Parley.
import { defineBot, type DialogImplementations, type JsonValue } from 'parley';
import { createServices, type Services } from './services';

const ORDER_NUMBER = /^\d{5}$/;

function implementations(services: Services): DialogImplementations {
  return {
    lookups: {
      findOrder: ({ slots }): JsonValue => {
        const order = services.orders.find(String(slots['order_number'] ?? ''));
        return order ? { found: true, ...order } : { found: false };
      },
      openingHours: (): JsonValue => ({ ...services.hours }),
    },
    guards: {
      orderFound: ({ data }) =>
        typeof data === 'object' && data !== null && !Array.isArray(data) && data['found'] === true,
    },
    validators: {
      orderNumber: (value) => typeof value === 'string' && ORDER_NUMBER.test(value),
    },
  };
}

export const bot = defineBot({
  name: 'template-bot',
  directory: __dirname,
  companyName: 'Template Co',
  defaultLocale: 'en',
  // A fresh back-end per runtime, so tests never share state.
  createImplementations: () => implementations(createServices()),
  engineOptions: { menu: ['order_status', 'opening_hours'] },
});
