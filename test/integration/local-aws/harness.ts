/** Starts a local AWS endpoint for one test file and builds SDK client settings for it. */
import { afterAll, beforeAll } from 'vitest';
import { type LocalAws, type LocalAwsOptions, startLocalAws } from '../../../infra/local/aws/index.js';

export interface ClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

/** Registers beforeAll/afterAll hooks; read `.aws` and `.config` inside tests. */
export function useLocalAws(options: LocalAwsOptions = {}): {
  readonly aws: LocalAws;
  readonly config: ClientConfig;
} {
  let aws: LocalAws | undefined;
  beforeAll(async () => {
    aws = await startLocalAws({ port: 0, ...options });
  });
  afterAll(async () => {
    await aws?.stop();
  });
  return {
    get aws() {
      if (aws === undefined) throw new Error('local AWS not started yet');
      return aws;
    },
    get config() {
      return {
        region: this.aws.region,
        endpoint: this.aws.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      };
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
