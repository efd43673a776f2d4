import { AccountService } from './accounts.service';
import { AppointmentService } from './appointments.service';
import { OrderService } from './orders.service';
import { OutageService } from './outages.service';

/** Acme's fake back-end: in-memory fixtures standing in for the real systems behind the bot. */
export interface AcmeBackend {
  orders: OrderService;
  accounts: AccountService;
  outages: OutageService;
  appointments: AppointmentService;
}

export function createAcmeBackend(): AcmeBackend {
  return {
    orders: new OrderService(),
    accounts: new AccountService(),
    outages: new OutageService(),
    appointments: new AppointmentService(),
  };
}
