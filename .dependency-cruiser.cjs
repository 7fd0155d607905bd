// The house rules of docs/architecture.md, checked in `npm test` (npm run floors).
// The core's rooms stand on floors: a room imports only rooms below it. The list is bottom first;
// a room may import its own floor's files and any floor listed before it, never one after it.
const FLOORS = [
  'domain',
  'postRestore',
  'atlas',
  'restore',
  'plans',
  'workflow',
  'orchestrate',
  'push',
  'notify',
  'history',
  'finish',
  'api',
];

const core = (room) => `^functions/core/${room}/`;

// What a handler may call: the step each one runs, and the pieces its wiring hands to that step.
// Everything else in a room is the room's own business and may move without touching a handler.
const PUBLIC_ENTRIES = [
  'domain/[^/]+',
  'orchestrate/(create|poll|cancel|holds|locks|deps|runRecords|atlasCalls)',
  'push/(awaitAlert|receive|waiters|heard|secretText)',
  'finish/finishRestore',
  'notify/(ledger|undelivered|channels/[^/]+)',
  'history/(store|names)',
  'api/(routes|deps|responses)',
  'workflow/(contract|wake)',
  'plans/schema',
  'atlas/(client|credentials)',
  'restore/kinds/index',
  // The stores' DynamoDB and Step Functions adapters, which functions/runtime wires in.
  '(orchestrate|notify|history|push)/dynamo[A-Z][^/]*',
  'push/sfnWake',
];

// One rule per floor: it may not reach any floor above it.
const upward = FLOORS.slice(0, -1).map((room, i) => ({
  name: `floor-${room}`,
  comment: `functions/core/${room} is on floor ${i}: it imports only ${FLOORS.slice(0, i).join(', ') || 'nothing of ours'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: core(room) },
  to: { path: `^functions/core/(${FLOORS.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle makes two files one: neither can be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'core-has-rooms',
      comment: 'Every file of the core lives in a room (a floor of docs/architecture.md), so the floor rules see it.',
      severity: 'error',
      from: {},
      to: { path: '^functions/core/[^/]+\\.ts$' },
    },
    {
      name: 'core-knows-no-lambda',
      comment: 'The core does not know Lambda or the handlers: handlers call the core, never the reverse.',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: '^functions/(?!core/)' },
    },
    {
      name: 'handlers-stay-apart',
      comment: 'A handler uses the core and the shared runtime wiring, not another handler.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/', pathNot: '^functions/(core|runtime)/' },
      to: { path: '^functions/(?!core/|runtime/)([^/]+)/', pathNot: '^functions/$1/' },
    },
    {
      name: 'handlers-use-public-entries',
      comment: 'Handlers reach the core only through its public entries (PUBLIC_ENTRIES above, docs/architecture.md).',
      severity: 'error',
      from: { path: '^functions/(?!core/)' },
      to: { path: '^functions/core/', pathNot: `^functions/core/(${PUBLIC_ENTRIES.join('|')})\\.ts$` },
    },
    {
      name: 'lib-imports-no-handlers',
      comment: 'CDK code in lib/ builds the stack; it may read the core\'s names and schemas, never a handler.',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: { path: '^functions/(?!core/)' },
    },
    {
      name: 'runtime-code-imports-no-tests',
      comment: 'Shipped code never reaches into test/ or bench/.',
      severity: 'error',
      from: { path: '^(functions|lib|bin|local)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'core-and-lib-import-no-local',
      comment: 'The local CLI, runner and simulator sit beside the product, not under it.',
      severity: 'error',
      from: { path: '^(functions|lib)/' },
      to: { path: '^local/' },
    },
    {
      name: 'simulator-shares-nothing-with-the-client',
      comment: 'The simulator checks the Atlas client; sharing code would let one hide the other\'s mistakes.',
      severity: 'error',
      from: { path: '^local/simulator/' },
      to: { path: '^functions/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|cdk\\.out)' },
  },
};
