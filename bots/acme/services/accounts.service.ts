import type { ContactPoint } from '../../../core/ports';

export interface BalanceAnswer {
  verified: boolean;
  balance?: number;
  currency?: string;
}

interface Account {
  postcode: string;
  balance: number;
  email: string;
  /** E.164; not every customer has given one. */
  phone?: string;
}

const ACCOUNTS: Record<string, Account> = {
  '12345678': { postcode: 'SW1A 1AA', balance: 42.5, email: 'jane@example.com', phone: '+447700900123' },
  '87654321': { postcode: 'M1 1AE', balance: -12.3, email: 'raj@example.org' },
};

const compact = (postcode: string): string => postcode.replace(/\s+/g, '').toUpperCase();

/** The fake customer-account system: balances behind an account-number-and-postcode check. */
export class AccountService {
  /** Reset links "sent", for tests to inspect; a real system would e-mail them. */
  readonly sentResetLinks: Array<{ email: string; at: number }> = [];

  balance(accountNumber: string, postcode: string): BalanceAnswer {
    const account = ACCOUNTS[accountNumber];
    if (!account || compact(account.postcode) !== compact(postcode)) return { verified: false };
    return { verified: true, balance: account.balance, currency: 'GBP' };
  }

  /**
   * The phone number and e-mail address on file for the account, once its number and postcode match
   * (undefined otherwise): where a one-time code for linking a channel may go.
   */
  contactPoints(accountNumber: string, postcode: string): ContactPoint[] | undefined {
    const account = ACCOUNTS[accountNumber];
    if (!account || compact(account.postcode) !== compact(postcode)) return undefined;
    return [
      ...(account.phone ? [{ kind: 'phone' as const, value: account.phone }] : []),
      { kind: 'email' as const, value: account.email },
    ];
  }

  /**
   * Sends a reset link if the address is on file. Says nothing about whether it was: callers must not be
   * able to probe which addresses are customers'.
   */
  requestPasswordReset(email: string, now: number): void {
    const known = Object.values(ACCOUNTS).some((account) => account.email === email.toLowerCase());
    if (known) this.sentResetLinks.push({ email: email.toLowerCase(), at: now });
  }
}
