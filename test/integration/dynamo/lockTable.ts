import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll } from 'vitest';
import { LOCK_PARTITION_KEY } from '../../../lib/lock-table.js';

/**
 * The lock table as lib/lock-table.ts makes it, served by dynalite (the DynamoDB API on 127.0.0.1)
 * for one test file, with the real SDK client: locks, holds, run and delivery records all live in it.
 */
export const LOCK_TABLE = 'locks';

export function useLockTable(): { client(): DynamoDBClient } {
  let server: Server;
  let client: DynamoDBClient;
  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await client.send(
      new CreateTableCommand({
        TableName: LOCK_TABLE,
        KeySchema: [{ AttributeName: LOCK_PARTITION_KEY, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: LOCK_PARTITION_KEY, AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    client?.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });
  return { client: () => client };
}
