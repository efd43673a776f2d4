import { loadConfig } from '../../app/config';

describe('Bot Framework settings', () => {
  it('leaves auth off without an app id, blank values included (Azure samples ship them blank)', () => {
    expect(loadConfig({}).botFramework).toEqual({});
    expect(loadConfig({ MICROSOFT_APP_ID: '', MICROSOFT_APP_PASSWORD: ' ' }).botFramework).toEqual({});
  });

  it('reads the app registration', () => {
    const config = loadConfig({
      MICROSOFT_APP_ID: 'app-id',
      MICROSOFT_APP_PASSWORD: 'secret',
      MICROSOFT_APP_TYPE: 'SingleTenant',
      MICROSOFT_APP_TENANT_ID: 'tenant',
    });
    expect(config.botFramework).toEqual({
      appId: 'app-id',
      appPassword: 'secret',
      appType: 'SingleTenant',
      appTenantId: 'tenant',
    });
  });

  it('refuses to start with an app id but nothing to prove it, instead of silently leaving auth off', () => {
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'app-id' })).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() =>
      loadConfig({ MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' }),
    ).toThrow(/MICROSOFT_APP_TENANT_ID/);
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'a', MICROSOFT_APP_CERTIFICATE_THUMBPRINT: 't' })).toThrow(
      /PRIVATE_KEY/,
    );
  });

  it('parses the serviceUrl allow-list and refuses what is not an http(s) prefix', () => {
    const config = loadConfig({
      PARLEY_BOTFRAMEWORK_SERVICE_URLS: 'http://localhost:, https://dev.example/bf/',
    });
    expect(config.botFramework.allowedServiceUrls).toEqual(['http://localhost:', 'https://dev.example/bf/']);
    expect(() => loadConfig({ PARLEY_BOTFRAMEWORK_SERVICE_URLS: 'localhost' })).toThrow(/SERVICE_URLS/);
  });
});
