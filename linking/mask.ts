/** A phone number as the customer may be shown it: its last four digits only (`•••• 0123`). */
export function maskPhone(phone: string): string {
  return `•••• ${phone.replace(/\D/g, '').slice(-4)}`;
}

/** An e-mail address with its local part hidden but its first letter (`j•••@example.com`). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 1 ? '•••' : `${email[0]}•••${email.slice(at)}`;
}
