import { beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_BY_PLAN_INDEX } from '../../functions/core/history/names.js';
import { HANDLER_NAMES, type HandlerName } from '../../lib/functions.js';
import { actionsOf, statementsOfRole, synthesize, type Synthesized } from './helpers.js';

/**
 * Each function's role holds exactly the actions it uses: a wider grant (another action, or an
 * action on `*` it does not need) fails here. ONE table to update when a branch adds a use.
 * Notify's GetItem + PutItem are its delivery records and a plan's hold; submit's PutItem and
 * DeleteItem are under a dynamodb:LeadingKeys condition (hold# items only: resources.test.ts);
 * its Query is on the history table's byPlan index (GET /restores).
 */
const EVERY_FUNCTION = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const ATLAS_SECRET = ['secretsmanager:GetSecretValue'];

const EXACT_ACTIONS: Record<HandlerName, string[]> = {
  submitRestore: [
    ...EVERY_FUNCTION,
    ...ATLAS_SECRET,
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'states:DescribeExecution',
    'states:GetExecutionHistory',
    'states:ListExecutions',
    'states:StartExecution',
    'states:StopExecution',
  ],
  createRestore: [...EVERY_FUNCTION, ...ATLAS_SECRET, 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
  pollRestore: [...EVERY_FUNCTION, ...ATLAS_SECRET],
  cancelRestore: [...EVERY_FUNCTION, ...ATLAS_SECRET],
  notifyRestore: [
    ...EVERY_FUNCTION,
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'events:PutEvents',
    'kms:Decrypt',
    'kms:GenerateDataKey*',
    'secretsmanager:GetSecretValue', // the webhook URLs the plans name, not the Atlas secret
    'sns:Publish',
  ],
};

/** What running in the egress VPC adds to the Atlas callers (ENIs; no resource-level permissions exist). */
const VPC_ACTIONS = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:UnassignPrivateIpAddresses',
];
const IN_VPC: readonly HandlerName[] = ['submitRestore', 'createRestore', 'pollRestore', 'cancelRestore'];

/** Actions allowed on Resource "*": only those AWS offers no resource scoping for. */
const WILDCARD_OK = /^(xray:PutTraceSegments|xray:PutTelemetryRecords|ec2:[A-Za-z]+)$/;

const distinctSorted = (list: string[]) => [...new Set(list)].sort();

describe.each([
  { mode: 'no egress', context: {}, vpc: false },
  { mode: 'egress=nat', context: { egress: 'nat' }, vpc: true },
])('least privilege ($mode)', ({ context, vpc }) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ context });
  });
  const statements = (name: HandlerName) => statementsOfRole(s.template, s.logicalId(s.stack.functions.byName(name).role!));

  it.each(HANDLER_NAMES)('%s holds exactly the actions it uses', (name) => {
    const expected = [...EXACT_ACTIONS[name], ...(vpc && IN_VPC.includes(name) ? VPC_ACTIONS : [])];
    expect(distinctSorted(actionsOf(statements(name)))).toEqual(distinctSorted(expected));
  });

  it.each(HANDLER_NAMES)('%s has "*" only for actions without resource-level permissions', (name) => {
    for (const st of statements(name).filter((st) => JSON.stringify(st.Resource) === '"*"'))
      for (const action of actionsOf([st])) expect(action).toMatch(WILDCARD_OK);
  });

  it('no role may update lock-table items in place', () => {
    for (const name of HANDLER_NAMES) expect(actionsOf(statements(name))).not.toContain('dynamodb:UpdateItem');
  });

  it('lock-table actions are on the lock table only; notify may also put restore records in the history table, submit query its byPlan index', () => {
    const table = s.logicalId(s.stack.locks.table);
    const history = s.logicalId(s.stack.history.table);
    for (const name of HANDLER_NAMES)
      for (const st of statements(name).filter((st) => actionsOf([st]).some((a) => a.startsWith('dynamodb:')))) {
        if (name === 'notifyRestore' && actionsOf([st]).join() === 'dynamodb:PutItem' && JSON.stringify(st.Resource).includes(history)) {
          expect([st.Resource].flat()).toEqual([{ 'Fn::GetAtt': [history, 'Arn'] }]);
          continue;
        }
        if (name === 'submitRestore' && actionsOf([st]).join() === 'dynamodb:Query') {
          expect([st.Resource].flat()).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [history, 'Arn'] }, `/index/${HISTORY_BY_PLAN_INDEX}`]] }]);
          continue;
        }
        expect([st.Resource].flat()).toEqual([{ 'Fn::GetAtt': [table, 'Arn'] }]);
      }
  });
});
