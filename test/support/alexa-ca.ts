import { generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { ChainFetcher } from '../../connectors/alexa/alexa.certificates';

/**
 * A local certificate authority playing Amazon's: a root, an intermediate and a signing certificate for
 * `echo-api.amazon.com`, plus deliberately broken certificates for the negative tests. Keys come from
 * node:crypto; node-forge only writes the X.509 structures (a dev dependency, never loaded in production).
 */

const DAY = 24 * 60 * 60 * 1000;

interface KeyPair {
  privateKey: KeyObject;
  publicPem: string;
  privatePem: string;
}

function keyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

interface Issued {
  pem: string;
  cert: forge.pki.Certificate;
  keys: KeyPair;
}

let serial = 1;

function issue(options: {
  commonName: string;
  issuer?: Issued;
  ca: boolean;
  dnsNames?: string[];
  notBefore: Date;
  notAfter: Date;
  keys?: KeyPair;
}): Issued {
  const keys = options.keys ?? keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = (serial += 1).toString(16).padStart(4, '0');
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  const subject = [{ name: 'commonName', value: options.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: options.ca, critical: true },
    options.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, critical: true },
  ];
  if (options.dnsNames)
    extensions.push({
      name: 'subjectAltName',
      altNames: options.dnsNames.map((value) => ({ type: 2, value })),
    });
  cert.setExtensions(extensions);
  const signer = options.issuer?.keys ?? keys;
  cert.sign(forge.pki.privateKeyFromPem(signer.privatePem), forge.md.sha256.create());
  return { pem: forge.pki.certificateToPem(cert), cert, keys };
}

export const CHAIN_URL = 'https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem';

export interface TestCa {
  /** What the verifier trusts instead of the Mozilla roots. */
  trustedRoots: X509Certificate[];
  /** Serves the chains below by URL (and counts downloads). */
  fetchChain: ChainFetcher;
  fetched: string[];
  /** Publishes a chain (PEM) at a URL. */
  publish(url: string, pem: string): void;
  /** The good chain: signing certificate, intermediate. */
  chainPem: string;
  /** Chains that must be refused, by what is wrong with them. */
  broken: Record<'expired' | 'notYetValid' | 'wrongSan' | 'untrustedRoot' | 'leafSignsLeaf', string>;
  /** `SignatureCertChainUrl` and `Signature-256` headers for a body, signed with the good key. */
  signedHeaders(body: string, url?: string): Record<string, string>;
  /** Headers signed with another key (a forger's). */
  forgedHeaders(body: string): Record<string, string>;
}

/** A fresh CA valid around `now` (the test clock). Takes about a second: create it once per test file. */
export function createTestCa(now: number): TestCa {
  const around = { notBefore: new Date(now - 30 * DAY), notAfter: new Date(now + 365 * DAY) };
  const root = issue({ commonName: 'Parley Test Root', ca: true, ...around });
  const intermediate = issue({ commonName: 'Parley Test Intermediate', ca: true, issuer: root, ...around });
  const leaf = issue({
    commonName: 'echo-api.amazon.com',
    ca: false,
    issuer: intermediate,
    dnsNames: ['echo-api.amazon.com'],
    ...around,
  });
  const leafWith = (changes: Partial<Parameters<typeof issue>[0]>): string =>
    issue({
      commonName: 'echo-api.amazon.com',
      ca: false,
      issuer: intermediate,
      dnsNames: ['echo-api.amazon.com'],
      keys: leaf.keys,
      ...around,
      ...changes,
    }).pem + intermediate.pem;
  const evilRoot = issue({ commonName: 'Parley Test Root', ca: true, ...around });
  const evilLeaf = issue({
    commonName: 'echo-api.amazon.com',
    ca: false,
    issuer: evilRoot,
    dnsNames: ['echo-api.amazon.com'],
    keys: leaf.keys,
    ...around,
  });
  const chains = new Map<string, string>();
  const fetched: string[] = [];
  const chainPem = leaf.pem + intermediate.pem;
  chains.set(CHAIN_URL, chainPem);
  const headers = (body: string, key: KeyObject, url = CHAIN_URL): Record<string, string> => ({
    SignatureCertChainUrl: url,
    'Signature-256': sign('sha256', Buffer.from(body), key).toString('base64'),
  });
  // Any key but the signing certificate's forges: the other root's saves generating one more.
  const forger = evilRoot.keys;
  return {
    trustedRoots: [new X509Certificate(root.pem)],
    fetchChain: async (url) => {
      fetched.push(url);
      const pem = chains.get(url);
      if (pem === undefined) throw new Error(`404 for ${url}`);
      return pem;
    },
    fetched,
    publish: (url, pem) => chains.set(url, pem),
    chainPem,
    broken: {
      expired: leafWith({ notBefore: new Date(now - 60 * DAY), notAfter: new Date(now - DAY) }),
      notYetValid: leafWith({ notBefore: new Date(now + DAY), notAfter: new Date(now + 60 * DAY) }),
      wrongSan: leafWith({ dnsNames: ['echo-api.amazon.com.evil.example', 'evil.example'] }),
      untrustedRoot: evilLeaf.pem + evilRoot.pem,
      // A signing certificate that is not a CA cannot vouch for another certificate.
      leafSignsLeaf:
        issue({
          commonName: 'echo-api.amazon.com',
          ca: false,
          issuer: leaf,
          dnsNames: ['echo-api.amazon.com'],
          ...around,
        }).pem +
        leaf.pem +
        intermediate.pem,
    },
    signedHeaders: (body, url) => headers(body, leaf.keys.privateKey, url),
    forgedHeaders: (body) => headers(body, forger.privateKey),
  };
}
