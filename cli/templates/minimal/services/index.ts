/** The systems behind the bot. Replace the stub with a call to your own API. */
export interface Services {
  hours: { week(): string };
}

export function createServices(): Services {
  return { hours: { week: () => 'Monday to Friday, 9am to 5pm' } };
}
