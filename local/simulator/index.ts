import { createServer, type Server } from 'node:http';
import { AlertDeliverer, type DeliveryRecord } from './alerts/delivery.js';
import { DeliveryFaultEngine } from './alerts/deliveryFaults.js';
import { alertConfigOperations } from './resources/alertConfigs.js';
import type { AddressInfo } from 'node:net';
import { Authenticator } from './auth/authenticate.js';
import type { VirtualClock } from './virtualClock.js';
import { createClock, type ClockOption, type SimClock } from './clock.js';
import { FaultEngine, FaultsConfig, RateLimiter, type FaultsInput } from './faults.js';
import { createPipeline, type FaultState } from './http/pipeline.js';
import { Router } from './http/router.js';
import { RequestLog, type RequestLogEntry } from './requestLog.js';
import { cloudRestoreOperations } from './resources/cloudRestores.js';
import { clusterOperations } from './resources/clusters.js';
import { downloadRoute } from './resources/downloads.js';
import { flexOperations } from './resources/flex.js';
import { legacyOperations } from './resources/legacy.js';
import { snapshotOperations } from './resources/snapshots.js';
import { adminRoutes, tokenRoute } from './resources/specials.js';
import { tenantOperations } from './resources/tenant.js';
import { collectionRestoreOperations } from './resources/collectionRestores.js';
import { snapshotNamespaceOperations } from './resources/snapshotNamespaces.js';
import { namespaceVersion } from './state/namespaces.js';
import { phaseAt, type ClusterState, type Phase, type SnapshotState } from './state/model.js';
import { Store } from './state/store.js';
import { iso } from './time.js';
import { parseWorld, type JobFamily, type JobKind, type OutcomeRuleInput, type SnapshotInput, type WorldConfig, type WorldInput } from './world.js';

/**
 * The Atlas simulator: a local Atlas Admin API v2 for backup restores, on 127.0.0.1.
 * `startSimulator(world)` starts it in process; `main.ts` runs it standalone. docs/simulator.md has the rest.
 */

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * 'manual' (tests move time with clock.advance), realtime scaled ({scale: 60}: a minute a second),
   * or a clock to share (createVirtualClock: time moves when everything waits). Default {scale: 1}.
   */
  clock?: ClockOption;
  /** Seeds fault streams and generated ids (default 1). */
  seed?: number;
  /** One line per request (never a secret). */
  log?: (line: string) => void;
  /** Where the simulated clock starts (epoch ms); default now. */
  startTime?: number;
  /** The real clock (Digest nonces age on it, as in Atlas); tests may pass their own. Default Date.now. */
  wallClock?: () => number;
}

interface ClusterInfo {
  groupId: string;
  name: string;
  id: string;
  kind: ClusterState['kind'];
  sharded: boolean;
  shards: number;
  legacyBackup: boolean;
  /** The data the cluster holds now. */
  dataVersion: string;
  /** Each collection's data now (`database.collection` → data version): collection restores change only theirs. */
  namespaces: Record<string, string>;
  history: { at: string; dataVersion: string }[];
  snapshots: SnapshotInfo[];
}

interface SnapshotInfo {
  id: string;
  createdAt: string;
  status: SnapshotState['status'];
  snapshotType: SnapshotState['snapshotType'];
  dataVersion: string;
}

interface JobInfo {
  id: string;
  family: JobFamily;
  kind: JobKind;
  groupId: string;
  clusterName: string;
  snapshotId?: string;
  target?: { groupId: string; clusterName: string };
  /** Data a success writes to the target (or a download holds). */
  dataVersion: string;
  phase: Phase;
  /** False while a create that lands late is not yet visible to the API (see the `landsLate` fault). */
  landed: boolean;
  /** When the job appeared (for a late landing: when it lands). */
  createdAt: string;
  finishAt?: string;
  batchId?: string;
}

export interface SimulatorHandle {
  readonly baseUrl: string;
  readonly port: number;
  readonly world: WorldConfig;
  readonly clock: Pick<SimClock, 'mode' | 'now' | 'advance' | 'schedule' | 'nextDue'> & {
    /** With a virtual clock only (./virtualClock.ts): waits on it, as everything sharing it must. */
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  };
  stop(): Promise<void>;
  /** Every call so far, oldest first. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  cluster(groupId: string, name: string): ClusterInfo;
  clusters(): ClusterInfo[];
  /** The application wrote new data: later snapshots and point-in-time restores see it. */
  writeData(groupId: string, name: string, dataVersion: string): void;
  /** Adds a snapshot (createdAt defaults to now, dataVersion to the cluster's data then). */
  addSnapshot(groupId: string, clusterName: string, snapshot?: Partial<SnapshotInput>): SnapshotInfo;
  setSnapshotStatus(groupId: string, clusterName: string, snapshotId: string, status: SnapshotState['status']): void;
  jobs(filter?: { family?: JobFamily; groupId?: string; clusterName?: string }): JobInfo[];
  /** "The next restore on cluster X fails": see OutcomeRule in world.ts. */
  scriptOutcome(rule: OutcomeRuleInput): void;
  /** Replaces the fault rules and rate limits (fault streams restart from the seed). */
  setFaults(faults: FaultsInput): void;
  /** An administrator revoked this API key (public key) or service account (client id): every later call gets 401. */
  revokeCredential(publicKeyOrClientId: string): void;
  /** Undoes revokeCredential: the same key or secret works again (and unexpired tokens with it). */
  restoreCredential(publicKeyOrClientId: string): void;
  /** The private key or client secret is replaced (the old one and the account's tokens stop working); returns the new one. */
  rotateCredential(publicKeyOrClientId: string): string;
  /**
   * Ends a running job now (typically one scripted to `hang`), or every job of a legacy batch when
   * given its batch id; a success writes the target's data as any success does. Returns how many
   * jobs it ended (0 when none was still running); throws for an id the simulator never issued.
   */
  finishJob(jobIdOrBatchId: string, outcome?: 'succeed' | 'fail' | 'kill' | 'expire'): number;
  /** Alerts the simulator sent to webhooks when restore jobs ended (see alerts/delivery.ts). */
  readonly deliveries: {
    /** Every alert sent, lost or failed, with the receiver's answer and the simulated time. */
    log(): DeliveryRecord[];
    clear(): void;
    /** Resolves when no alert is being sent (alerts due now included): await it after advancing the clock. */
    settled(): Promise<void>;
  };
}

export type { DeliveryFaultRuleInput } from './alerts/deliveryFaults.js';
export type { FaultsInput } from './faults.js';
export type { WorldInput } from './world.js';
export { parseWorld, WorldInvalidError } from './world.js';

export async function startSimulator(worldInput: WorldInput, options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const world = parseWorld(worldInput);
  const seed = options.seed ?? 1;
  const clock = createClock(options.clock ?? { scale: 1 }, options.startTime ?? Date.now());
  const store = new Store(world, clock, seed);
  const auth = new Authenticator(world, () => clock.now(), options.wallClock ?? Date.now);
  const log = new RequestLog(options.log);

  const buildFaults = (input: FaultsInput): FaultState => {
    const config = FaultsConfig.parse(input);
    const engine = new FaultEngine(seed);
    engine.setRules(config.rules);
    return {
      engine,
      deliveries: new DeliveryFaultEngine(seed, config.deliveries),
      rateLimiter: new RateLimiter(config.rateLimit, () => clock.now()),
      oauthLimiter: new RateLimiter(config.oauthRateLimit, () => clock.now()),
    };
  };
  let faultState = buildFaults(world.faults);
  const faults = () => faultState;
  const setFaults = (input: FaultsInput) => {
    faultState = buildFaults(input);
  };
  let baseUrl = '';
  const deliverer = new AlertDeliverer({ store, clock, faults: () => faultState.deliveries, baseUrl: () => baseUrl, ...(options.log && { log: options.log }) });
  store.onJobEndDecided = (job) => deliverer.jobEndDecided(job);

  const router = new Router([
    ...clusterOperations,
    ...snapshotOperations,
    ...cloudRestoreOperations,
    ...flexOperations,
    ...tenantOperations,
    ...legacyOperations,
    ...alertConfigOperations,
    ...collectionRestoreOperations,
    ...snapshotNamespaceOperations,
  ]);
  const handler = createPipeline({
    router,
    specials: [tokenRoute(auth, faults), downloadRoute(store), ...adminRoutes(store, clock)],
    store,
    auth,
    faults,
    log,
    baseUrl: () => baseUrl,
    onInternalError: (e) => options.log?.(`simulator error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  });
  const server: Server = createServer((req, res) => {
    handler(req, res).catch((e: unknown) => {
      options.log?.(`simulator error: ${e instanceof Error ? e.message : String(e)}`);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const knownCredential = (id: string): string => {
    if (!auth.knows(id)) throw new Error(`no API key or service account ${id} in the world`);
    return id;
  };
  const clusterOf = (groupId: string, name: string): ClusterState => {
    const c = store.cluster(groupId, name);
    if (!c) throw new Error(`no cluster ${name} in project ${groupId}`);
    return c;
  };
  const snapshotInfo = (s: SnapshotState): SnapshotInfo => ({
    id: s.id,
    createdAt: iso(s.createdAt),
    status: s.status,
    snapshotType: s.snapshotType,
    dataVersion: s.dataVersion,
  });
  const clusterInfo = (c: ClusterState): ClusterInfo => ({
    groupId: c.groupId,
    name: c.name,
    id: c.id,
    kind: c.kind,
    sharded: c.sharded,
    shards: c.shards,
    legacyBackup: c.legacyBackup,
    dataVersion: store.dataVersion(c),
    namespaces: Object.fromEntries(c.namespaces.map((n) => [n.name, namespaceVersion(c, n.name) ?? ''])),
    history: c.history.map((h) => ({ at: iso(h.at), dataVersion: h.dataVersion })),
    snapshots: c.snapshots.map(snapshotInfo),
  });

  return {
    baseUrl,
    port,
    world,
    clock: {
      mode: clock.mode,
      now: () => clock.now(),
      advance: (ms) => {
        clock.advance(ms);
        store.settle();
      },
      schedule: (at, run) => clock.schedule(at, run),
      nextDue: () => clock.nextDue(),
      ...('sleep' in clock && { sleep: (clock as VirtualClock).sleep }),
    },
    stop: async () => {
      await deliverer.stop();
      await new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
    },
    requests: () => log.all(),
    clearRequests: () => log.clear(),
    cluster: (groupId, name) => {
      store.settle();
      return clusterInfo(clusterOf(groupId, name));
    },
    clusters: () => {
      store.settle();
      return store.clusters().map(clusterInfo);
    },
    writeData: (groupId, name, dataVersion) => {
      store.settle();
      store.writeData(clusterOf(groupId, name), dataVersion);
    },
    addSnapshot: (groupId, clusterName, snapshot = {}) => {
      store.settle();
      return snapshotInfo(store.addSnapshot(clusterOf(groupId, clusterName), snapshot));
    },
    setSnapshotStatus: (groupId, clusterName, snapshotId, status) => {
      const s = clusterOf(groupId, clusterName).snapshots.find((x) => x.id === snapshotId);
      if (!s) throw new Error(`no snapshot ${snapshotId} on ${clusterName}`);
      s.status = status;
    },
    jobs: (filter = {}) => {
      store.settle();
      const now = clock.now();
      return [...store.jobs.values()]
        .filter(
          (j) =>
            (filter.family === undefined || j.family === filter.family) &&
            (filter.groupId === undefined || j.groupId === filter.groupId) &&
            (filter.clusterName === undefined || j.clusterName === filter.clusterName),
        )
        .map((j) => ({
          id: j.id,
          family: j.family,
          kind: j.kind,
          groupId: j.groupId,
          clusterName: j.clusterName,
          ...(j.snapshotId !== undefined && { snapshotId: j.snapshotId }),
          ...(j.target && { target: { ...j.target } }),
          dataVersion: j.dataVersion,
          phase: phaseAt(j, now),
          landed: store.landed(j, now),
          createdAt: iso(j.createdAt),
          ...(j.finishAt !== undefined && { finishAt: iso(j.finishAt) }),
          ...(j.batchId !== undefined && { batchId: j.batchId }),
        }));
    },
    scriptOutcome: (rule) => store.scriptOutcome(rule),
    setFaults,
    revokeCredential: (id) => auth.revoke(knownCredential(id)),
    restoreCredential: (id) => auth.restore(knownCredential(id)),
    rotateCredential: (id) => auth.rotate(knownCredential(id)),
    finishJob: (id, outcome = 'succeed') => {
      store.settle();
      if (![...store.jobs.values()].some((j) => j.id === id || j.batchId === id)) throw new Error(`no job or batch ${id}`);
      const ended = store.finishJobs(id, outcome);
      store.settle();
      return ended;
    },
    deliveries: {
      log: () => deliverer.log(),
      clear: () => deliverer.clear(),
      settled: () => deliverer.settled(),
    },
  };
}
