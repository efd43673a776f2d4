/** The TwiML documents the phone channel answers with. */

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`,
  );
}

const DOCTYPE = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Connects the call to Parley's media WebSocket. When Parley ends the stream (the bot said goodbye, the
 * caller stayed silent), Twilio goes on to the next verb: `<Hangup/>`.
 */
export function connectStreamTwiml(streamUrl: string, parameters: Record<string, string>): string {
  const params = Object.entries(parameters)
    .map(([name, value]) => `<Parameter name="${escapeXml(name)}" value="${escapeXml(value)}"/>`)
    .join('');
  return `${DOCTYPE}<Response><Connect><Stream url="${escapeXml(streamUrl)}">${params}</Stream></Connect><Hangup/></Response>`;
}

/**
 * Transfers the call to a person: a phone number, or a SIP address that receives the case id as the
 * `X-Parley-Case-Id` header. A number hears the case id first (the whisper URL) before being connected.
 */
export function dialTwiml(target: string, caseId: string, whisperUrl: string): string {
  if (/^sips?:/i.test(target)) {
    const joiner = target.includes('?') ? '&' : '?';
    const uri = `${target}${joiner}X-Parley-Case-Id=${encodeURIComponent(caseId)}`;
    return `${DOCTYPE}<Response><Dial><Sip>${escapeXml(uri)}</Sip></Dial></Response>`;
  }
  const url = `${whisperUrl}?caseId=${encodeURIComponent(caseId)}`;
  return `${DOCTYPE}<Response><Dial><Number url="${escapeXml(url)}">${escapeXml(target)}</Number></Dial></Response>`;
}

/** What the agent hears on answering a transferred call, before the caller is connected. */
export function whisperTwiml(caseId: string): string {
  const spelled = caseId.split('').join(' ');
  return `${DOCTYPE}<Response><Say>Parley case ${escapeXml(spelled)}. The caller is waiting.</Say></Response>`;
}

export function hangupTwiml(): string {
  return `${DOCTYPE}<Response><Hangup/></Response>`;
}
