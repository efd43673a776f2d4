/**
 * A local gRPC server implementing `google.cloud.speech.v1.Speech`, loaded from the protos that ship in
 * `@google-cloud/speech`, for testing the real `SpeechClient` without Google. Each streaming call is recorded
 * (its config and the audio it received); the test sends scripted responses on it and can end it the way
 * Google does at its time limit.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { protos, SpeechClient } from '@google-cloud/speech';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const speechProtos: Record<string, unknown> = require('@google-cloud/speech/build/protos/protos.json');

type Request = protos.google.cloud.speech.v1.IStreamingRecognizeRequest;
type Response = protos.google.cloud.speech.v1.IStreamingRecognizeResponse;
type Call = grpc.ServerDuplexStream<Request, Response>;

export class FakeSpeechCall {
  config: protos.google.cloud.speech.v1.IStreamingRecognitionConfig | undefined;
  audio = Buffer.alloc(0);
  ended = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly call: Call) {
    call.on('data', (request: Request) => {
      if (request.streamingConfig) this.config = request.streamingConfig;
      if (request.audioContent) this.audio = Buffer.concat([this.audio, Buffer.from(request.audioContent)]);
      this.wake();
    });
    call.on('end', () => {
      this.ended = true;
      this.wake();
      call.end();
    });
  }

  send(response: Response): void {
    this.call.write(response);
  }

  /** What Google does after ~5 minutes: OUT_OF_RANGE, "Exceeded maximum allowed stream duration". */
  failOutOfRange(): void {
    // grpc-js ends a server stream with the status of an emitted error.
    this.call.emit('error', {
      code: grpc.status.OUT_OF_RANGE,
      details: 'Exceeded maximum allowed stream duration of 305 seconds.',
    });
  }

  /** Waits until the stream has received at least `bytes` of audio (or has ended). */
  async waitForAudio(bytes: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.audio.length < bytes && !this.ended) {
      if (Date.now() > deadline)
        throw new Error(`fake speech: ${this.audio.length} of ${bytes} bytes arrived`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export interface FakeSpeechServer {
  port: number;
  calls: FakeSpeechCall[];
  /** Resolves with the n-th streaming call (0-based) once it has its config. */
  call(index: number, timeoutMs?: number): Promise<FakeSpeechCall>;
  /** Options for `new SpeechClient(...)` pointing at this server. */
  clientOptions: NonNullable<ConstructorParameters<typeof SpeechClient>[0]>;
  stop(): Promise<void>;
}

export async function startFakeSpeechServer(): Promise<FakeSpeechServer> {
  const definition = protoLoader.fromJSON(speechProtos, { longs: Number, enums: String, defaults: false });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    google: { cloud: { speech: { v1: { Speech: { service: grpc.ServiceDefinition } } } } };
  };
  const server = new grpc.Server();
  const calls: FakeSpeechCall[] = [];
  server.addService(loaded.google.cloud.speech.v1.Speech.service, {
    streamingRecognize: (call: Call) => calls.push(new FakeSpeechCall(call)),
    recognize: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(null, { results: [] }),
    longRunningRecognize: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in the fake' } as grpc.ServiceError, null),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    calls,
    async call(index, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!calls[index]?.config) {
        if (Date.now() > deadline) throw new Error(`fake speech: no streaming call #${index}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return calls[index];
    },
    clientOptions: {
      apiEndpoint: '127.0.0.1',
      port,
      sslCreds: grpc.credentials.createInsecure(),
      // Dummy credentials stop google-auth-library probing a metadata server.
      credentials: { client_email: 'test@example.com', private_key: 'not-a-key' },
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
