/**
 * How the functions that call Atlas reach it, chosen with CDK context and checked at synth:
 *
 *   (nothing)                                   off: Lambda's own, changing addresses (no VPC, no cost)
 *   -c egress=nat [-c natGateways=1|2]          a new VPC whose NAT gateways have Elastic IPs
 *   -c vpcId=vpc-... -c subnetIds=subnet-a,...  your VPC: your private subnets, your NAT's addresses
 *      [-c egressIps=203.0.113.10,...]          ...which the stack then outputs (it cannot look them up)
 *
 * Every message names the context key, because the person reading it typed that key.
 */

import { parseAccessListEntry, type AccessListEntry } from './access-list.js';
import { ConfigError } from './config-error.js';

/** The stack is environment-agnostic, so CDK gives a new VPC two Availability Zones. */
const EGRESS_AZS = 2;

export type EgressOptions =
  | { mode: 'off' }
  | { mode: 'nat'; natGateways: number }
  | {
      mode: 'existing';
      vpcId: string;
      subnetIds: string[];
      availabilityZones?: string[];
      /** Your NAT's public addresses, when you told the stack: it outputs them for the access list. */
      egressIps?: AccessListEntry[];
    };

export const EGRESS_CONTEXT_KEYS = ['egress', 'natGateways', 'vpcId', 'subnetIds', 'availabilityZones', 'egressIps'] as const;
type EgressContextKey = (typeof EGRESS_CONTEXT_KEYS)[number];

const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

/** Reads and checks the egress context values; `read(key)` is `node.tryGetContext`. */
export function egressOptionsFromContext(read: (key: EgressContextKey) => unknown): EgressOptions {
  const given = (key: EgressContextKey) => {
    const value = read(key);
    return value === undefined || value === null || value === '' ? undefined : value;
  };
  const egress = given('egress');
  const natGateways = given('natGateways');
  const vpcId = given('vpcId');
  const subnetIds = given('subnetIds');
  const availabilityZones = given('availabilityZones');
  const egressIps = given('egressIps');

  if (egress !== undefined && egress !== 'nat' && egress !== 'off' && egress !== 'vpc') {
    throw new EgressContextError('egress', `must be "nat" (new VPC with NAT gateways), "vpc" (your VPC: also give vpcId and subnetIds) or "off"; got ${show(egress)}`);
  }
  if (egress === 'nat') {
    for (const key of ['vpcId', 'subnetIds', 'availabilityZones'] as const) {
      if (given(key) !== undefined) throw new EgressContextError(key, 'does not apply with egress=nat (the stack creates the VPC); use one or the other');
    }
    if (egressIps !== undefined) throw new EgressContextError('egressIps', 'does not apply with egress=nat: the stack outputs its own Elastic IPs (AtlasEgressIps)');
    return { mode: 'nat', natGateways: natGatewayCount(natGateways) };
  }
  if (natGateways !== undefined) throw new EgressContextError('natGateways', 'only applies with egress=nat');

  if (vpcId === undefined && subnetIds === undefined && availabilityZones === undefined) {
    if (egress === 'vpc') throw new EgressContextError('vpcId', 'is required with egress=vpc (and subnetIds)');
    if (egressIps !== undefined) throw new EgressContextError('egressIps', 'only applies with your own VPC (vpcId and subnetIds): the public IPs of its NAT gateways');
    return { mode: 'off' };
  }
  if (egress === 'off') throw new EgressContextError('egress', 'is "off" but vpcId/subnetIds are set; drop one or the other');
  if (vpcId === undefined) throw new EgressContextError('vpcId', 'is required when subnetIds or availabilityZones is set');
  if (typeof vpcId !== 'string' || !VPC_ID.test(vpcId)) throw new EgressContextError('vpcId', `must be a VPC id such as vpc-0abc12345def67890; got ${show(vpcId)}`);
  if (subnetIds === undefined) throw new EgressContextError('subnetIds', 'is required with vpcId: the private subnets (with a route to your NAT) the functions run in');
  const subnets = list('subnetIds', subnetIds);
  for (const id of subnets) {
    if (!SUBNET_ID.test(id)) throw new EgressContextError('subnetIds', `must be subnet ids such as subnet-0abc12345def67890; got ${show(id)}`);
  }
  if (new Set(subnets).size !== subnets.length) throw new EgressContextError('subnetIds', 'lists a subnet twice');
  const existing = { mode: 'existing' as const, vpcId, subnetIds: subnets, ...(egressIps === undefined ? {} : { egressIps: accessListEntries(egressIps) }) };
  if (availabilityZones === undefined) return existing;
  const azs = list('availabilityZones', availabilityZones);
  for (const az of azs) {
    if (!AZ_NAME.test(az)) throw new EgressContextError('availabilityZones', `must be zone names such as eu-west-1a; got ${show(az)}`);
  }
  if (azs.length !== subnets.length) {
    throw new EgressContextError('availabilityZones', `must name one zone per subnet, in the same order (${subnets.length} subnets, ${azs.length} zones)`);
  }
  return { ...existing, availabilityZones: azs };
}

/** egressIps: what Atlas will see the calls come from, so public IPv4 only. */
function accessListEntries(value: unknown): AccessListEntry[] {
  const entries = list('egressIps', value).map((text) => {
    const entry = parseAccessListEntry(text);
    if ('problem' in entry) throw new EgressContextError('egressIps', entry.problem);
    return entry;
  });
  if (new Set(entries.map((e) => e.value)).size !== entries.length) throw new EgressContextError('egressIps', 'lists an address twice');
  return entries;
}

class EgressContextError extends ConfigError {
  override name = 'EgressContextError';
  constructor(key: EgressContextKey, problem: string) {
    super(`Context value "${key}" ${problem} (cdk synth -c ${key}=...; see docs/operations.md, "Atlas API access lists")`);
  }
}

function natGatewayCount(value: unknown): number {
  if (value === undefined) return EGRESS_AZS;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > EGRESS_AZS) {
    throw new EgressContextError(
      'natGateways',
      `must be 1 or ${EGRESS_AZS} (at most one per Availability Zone; the VPC has ${EGRESS_AZS}); got ${show(value)}`,
    );
  }
  return n;
}

/** "a,b" from the command line, or ["a","b"] from cdk.json. */
function list(key: EgressContextKey, value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || !items.every((i) => typeof i === 'string')) throw new EgressContextError(key, `must be a comma-separated list; got ${show(value)}`);
  const trimmed = (items as string[]).map((i) => i.trim()).filter((i) => i !== '');
  if (!trimmed.length) throw new EgressContextError(key, 'is empty');
  return trimmed;
}

const show = (value: unknown) => JSON.stringify(value);
