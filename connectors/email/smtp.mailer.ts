import nodemailer from 'nodemailer';
import type { Mailer } from '../../core/ports';

export interface SmtpMailerOptions {
  /** `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  url: string;
  from: string;
}

/**
 * The `Mailer` port over SMTP with nodemailer. Rejects when the server refuses the message, so callers can
 * tell the customer the code did not go out.
 *
 * @example
 * const mailer = createSmtpMailer({ url: 'smtp://localhost:2525', from: 'Acme <help@acme.example>' });
 * await mailer.send({ to: 'jane@example.com', subject: 'Your code', text: 'K7QF-2M9X' });
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(mail) {
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}
