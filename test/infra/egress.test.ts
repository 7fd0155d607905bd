import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRestoreApp, SKIP_BUNDLING_CONTEXT } from '../../lib/app.js';
import { egressOptionsFromContext } from '../../lib/egress-options.js';
import { HANDLER_NAMES } from '../../lib/functions.js';
import { actionsOf, fixturePlans, statementsOfRole, synthesize, type Synthesized } from './helpers.js';

const ATLAS_CALLERS = ['submitRestore', 'createRestore', 'pollRestore', 'cancelRestore'] as const;
const VPC_ID = 'vpc-0abc12345def67890';
const SUBNETS = ['subnet-0abc12345def67890', 'subnet-0abc12345def67891'];

const fnProps = (s: Synthesized, name: (typeof HANDLER_NAMES)[number]) =>
  s.template.findResources('AWS::Lambda::Function')[s.logicalId(s.stack.functions.byName(name))]!.Properties;

/** Full synth with both nag packs, as `cdk synth` runs it: the rule names it reports. */
function nagFindings(context: Record<string, unknown>): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'egress-nag-'));
  const { app } = buildRestoreApp({ plansConfig: fixturePlans, outdir, context: { ...SKIP_BUNDLING_CONTEXT, ...context } });
  try {
    app.synth();
  } catch {
    // The report below says why.
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: { ruleName: string }[] }[];
  };
  return report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName));
}

describe('egress off (the default)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize();
  });

  it('creates no VPC, NAT gateway, Elastic IP or security group, and runs every function outside any VPC', () => {
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::SecurityGroup', 'AWS::EC2::FlowLog']) {
      s.template.resourceCountIs(type, 0);
    }
    for (const name of HANDLER_NAMES) expect(fnProps(s, name)).not.toHaveProperty('VpcConfig');
    expect(s.stack.egress).toBeUndefined();
    expect(Object.keys(s.template.findOutputs('*'))).not.toContain('AtlasEgressIps');
  });
});

describe('egress=nat', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ context: { egress: 'nat' } });
  });

  it('builds a VPC over two zones with one NAT gateway per zone, each on an Elastic IP of the stack', () => {
    s.template.resourceCountIs('AWS::EC2::VPC', 1);
    s.template.resourceCountIs('AWS::EC2::NatGateway', 2);
    s.template.resourceCountIs('AWS::EC2::EIP', 2);
    const eips = s.stack.egress!.elasticIps.map((eip) => s.logicalId(eip));
    const allocations = Object.values(s.template.findResources('AWS::EC2::NatGateway')).map((n) => n.Properties.AllocationId);
    expect(allocations).toEqual(expect.arrayContaining(eips.map((id) => ({ 'Fn::GetAtt': [id, 'AllocationId'] }))));
  });

  it('outputs the egress IPs and the Atlas CLI command that adds them to an API key access list', () => {
    const outputs = s.template.findOutputs('*');
    const ips = { 'Fn::Join': [',', s.stack.egress!.elasticIps.map((e) => ({ 'Fn::GetAtt': [s.logicalId(e), 'PublicIp'] }))] };
    expect(outputs.AtlasEgressIps?.Value).toEqual(ips);
    expect(JSON.stringify(outputs.AtlasAccessListCommand?.Value)).toContain('atlas organizations apiKeys accessLists create');
    expect(JSON.stringify(outputs.AtlasAccessListCommand?.Value)).toContain('--ip ');
  });

  it('runs the four Atlas-calling functions in the private subnets with the HTTPS-only group, and notify outside', () => {
    const group = { 'Fn::GetAtt': [s.logicalId(s.stack.egress!.securityGroup), 'GroupId'] };
    const privateSubnets = s.stack.egress!.vpc.privateSubnets.map((subnet) => ({ Ref: s.logicalId(subnet) }));
    for (const name of ATLAS_CALLERS) {
      expect(fnProps(s, name).VpcConfig).toEqual({ SecurityGroupIds: [group], SubnetIds: privateSubnets });
    }
    expect(fnProps(s, 'notifyRestore')).not.toHaveProperty('VpcConfig');
  });

  it('lets the functions out on TCP 443 only and in not at all', () => {
    const groups = s.template.findResources('AWS::EC2::SecurityGroup');
    const ours = groups[s.logicalId(s.stack.egress!.securityGroup)]!.Properties;
    expect(ours.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    expect(ours.SecurityGroupIngress).toBeUndefined();
    s.template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  it('logs all VPC traffic to an encrypted log group (AwsSolutions-VPC7)', () => {
    s.template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    const groups = Object.values(s.template.findResources('AWS::Logs::LogGroup'));
    expect(groups.every((g) => g.Properties.KmsKeyId !== undefined)).toBe(true);
  });

  it('keeps lock-table traffic off the NAT through a DynamoDB gateway endpoint', () => {
    s.template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
    });
  });

  it('gives the ENI permissions to the in-VPC roles only, inline (no AWS managed policy)', () => {
    const roleOf = (name: (typeof HANDLER_NAMES)[number]) => s.logicalId(s.stack.functions.byName(name).role!);
    for (const name of ATLAS_CALLERS) {
      expect(actionsOf(statementsOfRole(s.template, roleOf(name)))).toContain('ec2:CreateNetworkInterface');
    }
    expect(actionsOf(statementsOfRole(s.template, roleOf('notifyRestore')))).not.toContain('ec2:CreateNetworkInterface');
    for (const name of HANDLER_NAMES) {
      expect(s.template.findResources('AWS::IAM::Role')[roleOf(name)]?.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('takes the NAT gateway count from natGateways (one Elastic IP each)', () => {
    const one = synthesize({ context: { egress: 'nat', natGateways: '1' } });
    one.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    one.template.resourceCountIs('AWS::EC2::EIP', 1);
    // Both zones still have a private subnet; they share the one NAT gateway.
    expect(one.stack.egress!.vpc.privateSubnets).toHaveLength(2);
  });
});

describe('an existing VPC (vpcId + subnetIds)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ context: { vpcId: VPC_ID, subnetIds: SUBNETS.join(',') } });
  });

  it('creates no VPC, NAT gateway or Elastic IP, and needs no lookup (synth has no credentials)', () => {
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::FlowLog']) s.template.resourceCountIs(type, 0);
    expect(Object.keys(s.template.findOutputs('*'))).not.toContain('AtlasEgressIps');
  });

  it('puts the Atlas-calling functions in the given subnets with a new HTTPS-only group in the given VPC', () => {
    const group = s.logicalId(s.stack.egress!.securityGroup);
    s.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: VPC_ID,
      SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
    });
    for (const name of ATLAS_CALLERS) {
      expect(fnProps(s, name).VpcConfig).toEqual({ SecurityGroupIds: [{ 'Fn::GetAtt': [group, 'GroupId'] }], SubnetIds: SUBNETS });
    }
    expect(fnProps(s, 'notifyRestore')).not.toHaveProperty('VpcConfig');
  });

  it('leaves no warning about the imported subnets in the synth output', () => {
    expect(Annotations.fromStack(s.stack).findWarning('*', Match.stringLikeRegexp('routeTableId'))).toEqual([]);
  });

  it('without egressIps: outputs how to find and add the NAT addresses, and warns at synth, naming egressIps', () => {
    const outputs = s.template.findOutputs('*');
    expect(Object.keys(outputs)).not.toContain('AtlasAccessListCommand');
    const nextStep = outputs.AtlasAccessListNextStep?.Value as string;
    expect(nextStep).toContain(`aws ec2 describe-nat-gateways --filter Name=vpc-id,Values=${VPC_ID}`);
    expect(nextStep).toContain('-c egressIps=');
    Annotations.fromStack(s.stack).hasWarning('/AtlasRestore/AtlasEgress', Match.stringLikeRegexp(`own NAT in ${VPC_ID}.*no AtlasEgressIps.*-c egressIps=`));
  });

  it('accepts explicit availability zones and a JSON list from cdk.json', () => {
    const withZones = synthesize({ context: { vpcId: VPC_ID, subnetIds: SUBNETS, availabilityZones: 'eu-west-1a, eu-west-1b' } });
    expect(fnProps(withZones, 'pollRestore').VpcConfig.SubnetIds).toEqual(SUBNETS);
    expect(withZones.stack.egress!.vpc.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });
});

describe('an existing VPC with egressIps (your NAT\'s public addresses)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize({ context: { egress: 'vpc', vpcId: VPC_ID, subnetIds: SUBNETS.join(','), egressIps: '203.0.113.10, 203.0.113.11' } });
  });

  it('outputs them as AtlasEgressIps and in the access-list command, exactly as in the new-VPC mode', () => {
    const outputs = s.template.findOutputs('*');
    expect(outputs.AtlasEgressIps?.Value).toBe('203.0.113.10,203.0.113.11');
    expect(outputs.AtlasAccessListCommand?.Value).toBe(
      'atlas organizations apiKeys accessLists create --orgId <ORG_ID> --apiKey <API_KEY_ID> --ip 203.0.113.10,203.0.113.11',
    );
    expect(Object.keys(outputs)).not.toContain('AtlasAccessListNextStep');
    expect(Annotations.fromStack(s.stack).findWarning('*', Match.stringLikeRegexp('egressIps'))).toEqual([]);
  });

  it('gives CIDR blocks their own command (the Atlas CLI refuses --ip and --cidr together)', () => {
    const mixed = synthesize({ context: { vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: ['203.0.113.10', '198.51.100.0/28'] } });
    const outputs = mixed.template.findOutputs('*');
    expect(outputs.AtlasEgressIps?.Value).toBe('203.0.113.10,198.51.100.0/28');
    expect(outputs.AtlasAccessListCommand?.Value).toBe(
      'atlas organizations apiKeys accessLists create --orgId <ORG_ID> --apiKey <API_KEY_ID> --ip 203.0.113.10 && ' +
        'atlas organizations apiKeys accessLists create --orgId <ORG_ID> --apiKey <API_KEY_ID> --cidr 198.51.100.0/28',
    );
  });
});

describe('egress context validation', () => {
  const options = (context: Record<string, unknown>) => egressOptionsFromContext((key) => context[key]);

  it('reads each mode', () => {
    expect(options({})).toEqual({ mode: 'off' });
    expect(options({ egress: 'off' })).toEqual({ mode: 'off' });
    expect(options({ egress: 'nat' })).toEqual({ mode: 'nat', natGateways: 2 });
    expect(options({ egress: 'nat', natGateways: 1 })).toEqual({ mode: 'nat', natGateways: 1 });
    expect(options({ vpcId: VPC_ID, subnetIds: ` ${SUBNETS[0]} ` })).toEqual({ mode: 'existing', vpcId: VPC_ID, subnetIds: [SUBNETS[0]] });
    expect(options({ egress: 'vpc', vpcId: VPC_ID, subnetIds: SUBNETS })).toMatchObject({ mode: 'existing', subnetIds: SUBNETS });
    expect(options({ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: '203.0.113.10,198.51.100.16/28' })).toMatchObject({
      egressIps: [
        { value: '203.0.113.10', kind: 'ip' },
        { value: '198.51.100.16/28', kind: 'cidr' },
      ],
    });
  });

  it.each([
    [{ egress: 'nats' }, 'egress'],
    [{ egress: 'nat', natGateways: '3' }, 'natGateways'],
    [{ egress: 'nat', natGateways: '0' }, 'natGateways'],
    [{ egress: 'nat', natGateways: 'two' }, 'natGateways'],
    [{ natGateways: '1' }, 'natGateways'],
    [{ egress: 'nat', vpcId: VPC_ID }, 'vpcId'],
    [{ egress: 'vpc' }, 'vpcId'],
    [{ egress: 'off', vpcId: VPC_ID, subnetIds: SUBNETS }, 'egress'],
    [{ subnetIds: SUBNETS }, 'vpcId'],
    [{ vpcId: 'vpc-xyz', subnetIds: SUBNETS }, 'vpcId'],
    [{ vpcId: VPC_ID }, 'subnetIds'],
    [{ vpcId: VPC_ID, subnetIds: 'subnet-a,subnet-b' }, 'subnetIds'],
    [{ vpcId: VPC_ID, subnetIds: `${SUBNETS[0]},${SUBNETS[0]}` }, 'subnetIds'],
    [{ vpcId: VPC_ID, subnetIds: ',' }, 'subnetIds'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, availabilityZones: 'eu-west-1a' }, 'availabilityZones'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, availabilityZones: 'west,east' }, 'availabilityZones'],
    [{ egressIps: '203.0.113.10' }, 'egressIps'],
    [{ egress: 'off', egressIps: '203.0.113.10' }, 'egressIps'],
    [{ egress: 'nat', egressIps: '203.0.113.10' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: 'nat-gw-1' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: '203.0.113.256' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: '203.0.113.010' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: '2001:db8::1' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: '0.0.0.0/0' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: '203.0.113.10/24' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: '10.0.1.25' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: '203.0.113.10,203.0.113.10' }, 'egressIps'],
    [{ vpcId: VPC_ID, subnetIds: SUBNETS, egressIps: ' , ' }, 'egressIps'],
  ])('refuses %j, naming "%s"', (context, key) => {
    expect(() => options(context)).toThrow(`Context value "${key}"`);
  });

  it('stops the synth itself with that message', () => {
    expect(() => synthesize({ context: { egress: 'nat', natGateways: '5' } })).toThrow(/Context value "natGateways" must be 1 or 2.*got "5"/);
  });

  it('says what is wrong with an egress IP, and what was probably meant', () => {
    const existing = { vpcId: VPC_ID, subnetIds: SUBNETS };
    expect(() => options({ ...existing, egressIps: '10.0.1.25' })).toThrow(/"egressIps" is a private address \(10\.0\.0\.0\/8\).*Elastic IP/);
    expect(() => options({ ...existing, egressIps: '203.0.113.10/24' })).toThrow(/host bits set.*did you mean 203\.0\.113\.0\/24\?/);
    expect(() => synthesize({ context: { ...existing, egressIps: 'nat-gw-1' } })).toThrow(/Context value "egressIps" must be IPv4 addresses or CIDR blocks.*"nat-gw-1"/);
  });
});

describe('cdk-nag (AwsSolutions + Serverless) in every egress mode', () => {
  it.each([
    ['nat', { egress: 'nat' }],
    ['nat, one gateway', { egress: 'nat', natGateways: '1' }],
    ['existing VPC', { vpcId: VPC_ID, subnetIds: SUBNETS.join(',') }],
    ['existing VPC with egressIps', { vpcId: VPC_ID, subnetIds: SUBNETS.join(','), egressIps: '203.0.113.10' }],
  ])('finds nothing unacknowledged (%s)', (_, context) => {
    expect(nagFindings(context)).toEqual([]);
  });
});
