import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll } from 'vitest';

/**
 * One DynamoDB table, made as lib/ makes it, served by dynalite (the DynamoDB API on 127.0.0.1)
 * for one test file, with the real SDK client.
 */
export function useDynaliteTable(
  table: CreateTableCommandInput,
  options: { maxAttempts?: number } = {},
): { client(): DynamoDBClient; stop(): Promise<void> } {
  let server: Server;
  let client: DynamoDBClient;
  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
    await client.send(new CreateTableCommand({ BillingMode: 'PAY_PER_REQUEST', ...table }));
  });
  const stop = () => new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
  afterAll(async () => {
    client?.destroy();
    await stop();
  });
  // stop(): nothing listens on the port any more, as when DynamoDB cannot be reached.
  return { client: () => client, stop };
}
