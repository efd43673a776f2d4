import { DAY_MS, isoDate } from './calendar';

export type OrderStatus = 'processing' | 'shipped' | 'delivered';

export interface Order {
  number: string;
  status: OrderStatus;
  /** ISO date: expected delivery for shipped orders, actual delivery for delivered ones. */
  deliveryDate?: string;
}

interface OrderFixture {
  status: OrderStatus;
  /** Days from today (negative: in the past). */
  deliveryInDays?: number;
}

const FIXTURES: Record<string, OrderFixture> = {
  A1001: { status: 'shipped', deliveryInDays: 2 },
  A1002: { status: 'processing' },
  A1003: { status: 'delivered', deliveryInDays: -3 },
};

/** Looking up this number fails as if the order system were down (for the flow's `error` path). */
export const UNREACHABLE_ORDER = 'A5000';

/** The fake order system: fixed orders whose dates move with the clock the turn passes in. */
export class OrderService {
  find(orderNumber: string, now: number): Order | undefined {
    if (orderNumber.toUpperCase() === UNREACHABLE_ORDER) throw new Error('order system unavailable');
    const fixture = FIXTURES[orderNumber.toUpperCase()];
    if (!fixture) return undefined;
    const order: Order = { number: orderNumber.toUpperCase(), status: fixture.status };
    if (fixture.deliveryInDays !== undefined)
      order.deliveryDate = isoDate(now + fixture.deliveryInDays * DAY_MS);
    return order;
  }
}
