import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { GONE_TOKEN_ERRORS, type WakeTask } from '../workflow/wake.js';

/** Ends a WaitForAlert task in Step Functions; a token whose wait is already over is no error. */
export function sfnWake(client: SFNClient): WakeTask {
  return async (token, wake) => {
    try {
      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(wake) }));
      return 'woken';
    } catch (err) {
      if (GONE_TOKEN_ERRORS.has((err as Error | undefined)?.name ?? '')) return 'gone';
      throw err;
    }
  };
}
