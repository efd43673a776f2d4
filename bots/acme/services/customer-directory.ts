import type { CustomerDirectory } from '../../../core/ports';
import { AccountService } from './accounts.service';

/**
 * Acme's customer records for channel linking: a conversation that has collected an account number and
 * the account's postcode (both checked) gets that account's phone and e-mail on file.
 */
export function createAcmeCustomerDirectory(accounts = new AccountService()): CustomerDirectory {
  return {
    async contactPoints({ slots }) {
      const [account, postcode] = [slots['account_number'], slots['postcode']];
      if (typeof account !== 'string' || typeof postcode !== 'string') return undefined;
      return accounts.contactPoints(account, postcode);
    },
  };
}
