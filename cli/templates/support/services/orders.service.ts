export interface Order {
  number: string;
  status: 'processing' | 'shipped';
}

/** A stub order system: two known orders, and one number that fails as if the system were down. */
export class OrderService {
  private readonly orders: Record<string, Order> = {
    '10001': { number: '10001', status: 'shipped' },
    '10002': { number: '10002', status: 'processing' },
  };

  find(orderNumber: string): Order | undefined {
    if (orderNumber === '99999') throw new Error('order system unavailable');
    return this.orders[orderNumber];
  }
}
