import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
} from 'botbuilder';

/** Who the bot is in Azure (its app registration), or nothing: auth off, for local development only. */
export interface BotFrameworkCredentials {
  appId?: string;
  appPassword?: string;
  appTenantId?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  certificateThumbprint?: string;
  certificatePrivateKey?: string;
}

/**
 * Where the Bot Framework token service lives. Defaults to Azure's public cloud; tests (and sovereign
 * clouds) point them elsewhere.
 */
export interface BotFrameworkEndpoints {
  /** OpenID metadata whose `jwks_uri` has the keys channel tokens are signed with. */
  openIdMetadataUrl?: string;
  /** The `iss` every channel token must carry. */
  tokenIssuer?: string;
  /** The Emulator's metadata (tokens the Emulator signs when it has an app id). */
  emulatorOpenIdMetadataUrl?: string;
  /** Where the bot gets its own tokens to call the channel. */
  loginUrl?: string;
  oauthScope?: string;
}

const PUBLIC_CLOUD = {
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  tokenIssuer: 'https://api.botframework.com',
  emulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  loginUrl: 'https://login.microsoftonline.com/botframework.com',
  oauthScope: 'https://api.botframework.com',
  oauthUrl: 'https://api.botframework.com',
  callerId: 'urn:botframework:azure',
};

/** Auth is on when the bot has an app id and a way to prove it (a password, a certificate, a managed identity). */
export function authEnabled(credentials: BotFrameworkCredentials): boolean {
  if (!credentials.appId) return false;
  return Boolean(
    credentials.appPassword || credentials.certificateThumbprint || credentials.appType === 'UserAssignedMSI',
  );
}

/** The credentials factory botbuilder's own configuration would build; tests may substitute theirs. */
export type CredentialsFactory = ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1];

export interface BotFrameworkAuth {
  adapter: CloudAdapter;
  /** Validates the channel's token for `activity` (issuer, audience, expiry, signing key, `serviceUrl`). */
  authenticate(activity: Activity, authHeader: string): Promise<boolean>;
  enabled: boolean;
  appId: string;
}

/**
 * botbuilder's CloudAdapter with its authentication configured from Parley's settings. Token validation is
 * botbuilder's own; `authenticate` runs it ahead of the turn so every rejection is a 401 (botbuilder turns
 * some, such as a bad signature, into a 500).
 */
export function createBotFrameworkAuth(
  credentials: BotFrameworkCredentials,
  endpoints: BotFrameworkEndpoints = {},
  credentialsFactory?: CredentialsFactory,
): BotFrameworkAuth {
  const enabled = authEnabled(credentials);
  const settings = {
    ...(enabled
      ? {
          MicrosoftAppId: credentials.appId,
          ...(credentials.appPassword ? { MicrosoftAppPassword: credentials.appPassword } : {}),
          ...(credentials.appTenantId ? { MicrosoftAppTenantId: credentials.appTenantId } : {}),
          ...(credentials.appType ? { MicrosoftAppType: credentials.appType } : {}),
          ...(credentials.certificateThumbprint
            ? {
                CertificateThumbprint: credentials.certificateThumbprint,
                CertificatePrivateKey: credentials.certificatePrivateKey,
              }
            : {}),
        }
      : {}),
    ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl ?? PUBLIC_CLOUD.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: endpoints.tokenIssuer ?? PUBLIC_CLOUD.tokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl:
      endpoints.emulatorOpenIdMetadataUrl ?? PUBLIC_CLOUD.emulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: endpoints.loginUrl ?? PUBLIC_CLOUD.loginUrl,
    ToChannelFromBotOAuthScope: endpoints.oauthScope ?? PUBLIC_CLOUD.oauthScope,
    OAuthUrl: PUBLIC_CLOUD.oauthUrl,
    CallerId: PUBLIC_CLOUD.callerId,
    ValidateAuthority: true,
  };
  const factory = credentialsFactory ?? new ConfigurationServiceClientCredentialFactory(settings);
  const authentication = new ConfigurationBotFrameworkAuthentication(settings, factory);
  return {
    adapter: new CloudAdapter(authentication),
    enabled,
    appId: enabled ? (credentials.appId ?? '') : '',
    async authenticate(activity, authHeader) {
      try {
        await authentication.authenticateRequest(activity, authHeader);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Loopback service URLs: the Bot Framework Emulator and local test channels. */
export const LOOPBACK_SERVICE_URLS = ['http://localhost:', 'http://127.0.0.1:', 'http://[::1]:'];

/**
 * With auth off nothing vouches for `serviceUrl`, and the bot POSTs its replies there: only URLs starting
 * with an allowed prefix are answered (compared on the parsed origin and path, not the raw text).
 */
export function serviceUrlAllowed(serviceUrl: string, allowed: readonly string[]): boolean {
  if (!URL.canParse(serviceUrl)) return false;
  // Parsed, so `http://localhost:1@evil.example` is evil.example, as the HTTP client would see it.
  const url = new URL(serviceUrl);
  const candidate = `${url.protocol}//${url.host}${url.pathname}`;
  return allowed.some((prefix) => candidate.startsWith(prefix));
}
