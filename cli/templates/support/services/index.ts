import { OrderService } from './orders.service';

/** The systems behind the bot. Replace the stubs with calls to your own APIs. */
export interface Services {
  orders: OrderService;
  hours: { week: string };
}

export function createServices(): Services {
  return { orders: new OrderService(), hours: { week: 'Monday to Friday, 9am to 5pm' } };
}
