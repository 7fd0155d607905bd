import { randomBytes } from 'node:crypto';
import type { SimClock } from '../clock.js';
import { createIdFactory } from '../random.js';
import { DEFAULT_DURATIONS, OutcomeRule, SnapshotInput, type JobFamily, type JobKind, type OutcomeRuleInput, type WorldConfig } from '../world.js';
import { AlertConfigBook } from './alertConfigs.js';
import { buildProjects, buildSnapshot, dataVersionAt } from './build.js';
import { isActive, isDownload, phaseAt, type ClusterState, type JobState, type Outcome, type ProjectState, type SnapshotState } from './model.js';
import { writeNamespaces } from './namespaces.js';

/**
 * The one place state changes. Jobs move on the clock by themselves (their phase is computed from
 * the time); `settle()` applies what finished jobs did to the clusters' data, in the order they
 * finished, and runs before every request and every handle read.
 */

export interface NewJob {
  family: JobFamily;
  kind: JobKind;
  cluster: ClusterState;
  snapshotId?: string;
  target?: ClusterState;
  dataVersion: string;
  batchId?: string;
  replicaSetName?: string;
  details?: Record<string, unknown>;
  /** Legacy batches decide duration and outcome once for the whole batch. */
  plan?: { durationMs: number; outcome: Outcome };
}

export class Store {
  readonly projects: Map<string, ProjectState>;
  readonly jobs = new Map<string, JobState>();
  readonly alertConfigs = new AlertConfigBook();
  /**
   * Told whenever a job's end is decided: at create (a job with a planned end) and when
   * `finishJobs` ends it. Atlas acting on a job's end (alerts) listens here.
   */
  onJobEndDecided: (job: JobState) => void = () => undefined;
  readonly newId: () => string;
  private outcomeRules: (OutcomeRule & { left: number })[];
  private jobSeq = 0;
  /**
   * Set by the request pipeline around one operation: jobs it creates land this much later (a
   * create Atlas took but shows only after a while). Their createdAt is the landing time and
   * nothing sees them before it: lists, gets, busy-target and download-slot checks.
   */
  landingDelayMs = 0;

  constructor(
    readonly world: WorldConfig,
    readonly clock: SimClock,
    seed: number,
  ) {
    this.projects = buildProjects(world, clock.now());
    this.newId = createIdFactory(seed);
    this.outcomeRules = world.outcomes.map((r) => ({ ...r, left: r.times }));
  }

  now(): number {
    return this.clock.now();
  }

  cluster(groupId: string, name: string): ClusterState | undefined {
    return this.projects.get(groupId)?.clusters.get(name);
  }

  clusters(): ClusterState[] {
    return [...this.projects.values()].flatMap((p) => [...p.clusters.values()]);
  }

  dataVersion(cluster: ClusterState): string {
    return cluster.history.at(-1)?.dataVersion ?? '';
  }

  dataVersionAt(cluster: ClusterState, at: number): string {
    return dataVersionAt(cluster.history, at);
  }

  /** Something wrote to the cluster (the application, a test): later snapshots and PIT restores see it. */
  writeData(cluster: ClusterState, dataVersion: string, at = this.now()): void {
    cluster.history.push({ at, dataVersion });
    cluster.history.sort((a, b) => a.at - b.at);
  }

  addSnapshot(cluster: ClusterState, input: Partial<SnapshotInput> & { id?: string }): SnapshotState {
    const parsed = SnapshotInput.parse({ createdAt: 'now', ...input, id: input.id ?? this.newId() });
    if (cluster.snapshots.some((s) => s.id === parsed.id)) throw new Error(`snapshot ${parsed.id} already exists on ${cluster.name}`);
    const snapshot = buildSnapshot(cluster, parsed, this.now());
    cluster.snapshots.push(snapshot);
    return snapshot;
  }

  scriptOutcome(rule: OutcomeRuleInput): void {
    const parsed = OutcomeRule.parse(rule);
    this.outcomeRules.push({ ...parsed, left: parsed.times });
  }

  private takeOutcome(job: NewJob): { outcome: Outcome; durationSeconds?: number } {
    const rule = this.outcomeRules.find(
      (r) =>
        r.left > 0 &&
        (r.cluster === undefined || r.cluster === job.cluster.name) &&
        (r.groupId === undefined || r.groupId === job.cluster.groupId) &&
        (r.target === undefined || r.target === job.target?.name) &&
        (r.kind === undefined || r.kind === job.kind || r.kind === job.family),
    );
    if (!rule) return { outcome: 'succeed' };
    rule.left -= 1;
    return { outcome: rule.outcome, ...(rule.durationSeconds !== undefined && { durationSeconds: rule.durationSeconds }) };
  }

  /** Decides a job's duration and outcome: scripted rule, then the cluster's sequence, then durations. */
  planJob(job: Omit<NewJob, 'plan'>): { durationMs: number; outcome: Outcome } {
    const scripted = this.takeOutcome(job);
    const seconds =
      scripted.durationSeconds ??
      job.cluster.durationSequence.shift() ??
      job.cluster.durations[job.kind] ??
      this.world.jobDurations[job.kind] ??
      DEFAULT_DURATIONS[job.kind];
    return { durationMs: Math.round(seconds * 1000), outcome: scripted.outcome };
  }

  createJob(spec: NewJob): JobState {
    const plan = spec.plan ?? this.planJob(spec);
    const createdAt = this.now() + this.landingDelayMs;
    const finishAt = plan.outcome === 'hang' ? undefined : createdAt + plan.durationMs;
    const job: JobState = {
      id: this.newId(),
      seq: ++this.jobSeq,
      family: spec.family,
      kind: spec.kind,
      groupId: spec.cluster.groupId,
      clusterName: spec.cluster.name,
      createdAt,
      durationMs: plan.durationMs,
      finishAt,
      outcome: plan.outcome,
      ...(spec.snapshotId !== undefined && { snapshotId: spec.snapshotId }),
      ...(spec.target && { target: { groupId: spec.target.groupId, clusterName: spec.target.name } }),
      dataVersion: spec.dataVersion,
      ...(spec.kind.endsWith('.download') &&
        finishAt !== undefined &&
        plan.outcome === 'succeed' && { linkExpiresAt: finishAt + this.world.limits.downloadLinkSeconds * 1000 }),
      ...(spec.batchId !== undefined && { batchId: spec.batchId }),
      ...(spec.replicaSetName !== undefined && { replicaSetName: spec.replicaSetName }),
      settled: false,
      details: { ...spec.details, downloadToken: randomBytes(12).toString('hex') },
    };
    this.jobs.set(job.id, job);
    if (job.finishAt !== undefined) this.onJobEndDecided(job);
    return job;
  }

  cancel(job: JobState): void {
    job.cancelledAt = this.now();
  }

  /** Has the job landed (is it visible to the API) at `now`? */
  landed(job: JobState, now = this.now()): boolean {
    return job.createdAt <= now;
  }

  /** A job by id as the API sees it: undefined until it has landed. */
  job(id: string): JobState | undefined {
    const job = this.jobs.get(id);
    return job && this.landed(job) ? job : undefined;
  }

  /**
   * "Now finish": a job (a hanging one, typically) ends at the current time with `outcome`; an id
   * that is a legacy batch id finishes every job of the batch. Returns how many jobs it ended.
   */
  finishJobs(idOrBatchId: string, outcome: Exclude<Outcome, 'hang'>): number {
    const now = this.now();
    const jobs = [...this.jobs.values()].filter((j) => (j.id === idOrBatchId || j.batchId === idOrBatchId) && isActive(phaseAt(j, now)));
    for (const job of jobs) {
      job.outcome = outcome;
      job.finishAt = Math.max(now, job.createdAt);
      job.durationMs = job.finishAt - job.createdAt;
      if (isDownload(job) && outcome === 'succeed') job.linkExpiresAt = job.finishAt + this.world.limits.downloadLinkSeconds * 1000;
      this.onJobEndDecided(job);
    }
    return jobs.length;
  }

  jobsOf(family: JobFamily, groupId: string, clusterName: string): JobState[] {
    const now = this.now();
    return [...this.jobs.values()]
      .filter((j) => j.family === family && j.groupId === groupId && j.clusterName === clusterName && this.landed(j, now))
      .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  /** A restore still running onto this cluster (Atlas refuses a second one). */
  restoreRunningOnto(cluster: ClusterState): JobState | undefined {
    const now = this.now();
    return [...this.jobs.values()].find(
      (j) => j.target?.groupId === cluster.groupId && j.target.clusterName === cluster.name && this.landed(j, now) && isActive(phaseAt(j, now)),
    );
  }

  /** Downloads whose link is being prepared or still works. */
  activeDownloads(groupId: string): JobState[] {
    const now = this.now();
    return [...this.jobs.values()].filter((j) => {
      if (j.groupId !== groupId || !isDownload(j) || !this.landed(j, now)) return false;
      const phase = phaseAt(j, now);
      return isActive(phase) || phase === 'succeeded';
    });
  }

  /** Applies finished jobs to the clusters' data, oldest finish first. */
  settle(): void {
    const now = this.now();
    const due = [...this.jobs.values()]
      .filter((j) => !j.settled && j.finishAt !== undefined && j.finishAt <= now)
      .sort((a, b) => (a.finishAt as number) - (b.finishAt as number) || a.seq - b.seq);
    for (const job of due) {
      job.settled = true;
      if (!job.target) continue;
      if (job.batchId !== undefined) {
        const batch = [...this.jobs.values()].filter((j) => j.batchId === job.batchId);
        if (!batch.every((j) => j.settled)) continue;
        if (!batch.every((j) => this.succeeded(j))) continue;
      } else if (!this.succeeded(job)) continue;
      const target = this.cluster(job.target.groupId, job.target.clusterName);
      if (!target) continue;
      if (job.family === 'collection') {
        writeNamespaces(target, job);
        continue;
      }
      this.writeData(target, job.dataVersion, job.finishAt);
      // The whole cluster was replaced: every collection holds the restored data now.
      for (const n of target.namespaces) delete n.dataVersion;
    }
  }

  private succeeded(job: JobState): boolean {
    return job.outcome === 'succeed' && (job.cancelledAt === undefined || (job.finishAt !== undefined && job.cancelledAt >= job.finishAt));
  }
}
