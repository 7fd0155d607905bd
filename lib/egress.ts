import { Annotations, CfnOutput, Fn, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { API_KEY_ACCESS_LIST_CREATE, apiKeyAccessListCommand } from './access-list.js';
import type { EgressOptions } from './egress-options.js';
import type { RestoreLogging } from './logging.js';

export interface AtlasEgressProps {
  options: Exclude<EgressOptions, { mode: 'off' }>;
  logging: RestoreLogging;
}

/** What a function needs to run inside the VPC (lib/functions.ts `network`). */
interface FunctionNetwork {
  vpc: ec2.IVpc;
  subnets: ec2.SubnetSelection;
  securityGroup: ec2.ISecurityGroup;
}

/**
 * A fixed way out to the Atlas Admin API for organisations that require every API call to come
 * from an address on their API access list: the functions that call Atlas run in private subnets
 * whose traffic leaves through NAT gateways with Elastic IPs (or through the user's own VPC and NAT).
 */
export class AtlasEgress extends Construct implements FunctionNetwork {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.SecurityGroup;
  /** The NAT gateways' Elastic IPs (new-VPC mode only): what goes on the Atlas API access list. */
  readonly elasticIps: ec2.CfnEIP[] = [];

  constructor(scope: Construct, id: string, props: AtlasEgressProps) {
    super(scope, id);
    const options = props.options;
    if (options.mode === 'nat') {
      // Our own EIPs (not the ones CDK would make inside the NAT provider) so the stack can output them.
      for (let i = 1; i <= options.natGateways; i++) {
        const eip = new ec2.CfnEIP(this, `EgressIp${i}`, { domain: 'vpc' });
        Tags.of(eip).add('Name', `${Stack.of(this).stackName}-atlas-egress-${i}`);
        this.elasticIps.push(eip);
      }
      const vpc = new ec2.Vpc(this, 'Vpc', {
        maxAzs: 2,
        natGateways: options.natGateways,
        natGatewayProvider: ec2.NatProvider.gateway({ eipAllocationIds: this.elasticIps.map((e) => e.attrAllocationId) }),
        subnetConfiguration: [
          // Only the NAT gateways live here; nothing of ours is reachable from the internet.
          { name: 'nat', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28 },
          { name: 'functions', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
        ],
        // Stripping the default security group takes a custom-resource Lambda; nothing uses that group.
        restrictDefaultSecurityGroup: false,
        gatewayEndpoints: {
          // The lock table: free, private, and kept off the NAT's per-GB charge.
          DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        },
      });
      vpc.addFlowLog('FlowLogs', {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(props.logging.logGroup(this, 'FlowLogGroup')),
        // Accepted traffic too: the record of what the functions sent where is the point.
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
      this.vpc = vpc;
      this.subnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    } else {
      // No lookups: synth (and the tests) need no AWS credentials. Without zones the subnets are
      // imported by id alone, which is all Lambda's VpcConfig needs; the VPC then gets the region's
      // zone tokens only because the import requires some (we always select subnets explicitly).
      const azs = options.availabilityZones;
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: options.vpcId, availabilityZones: azs ?? Stack.of(this).availabilityZones });
      const subnets = options.subnetIds.map((subnetId, i) =>
        azs
          ? ec2.Subnet.fromSubnetAttributes(this, `Subnet${i}`, { subnetId, availabilityZone: azs[i]! })
          : ec2.Subnet.fromSubnetId(this, `Subnet${i}`, subnetId),
      );
      for (const subnet of subnets) {
        Annotations.of(subnet).acknowledgeWarning(
          '@aws-cdk/aws-ec2:noSubnetRouteTableId',
          'Nothing here reads the route table: the functions only need the subnet id, and the route to the NAT is yours.',
        );
      }
      this.subnets = { subnets };
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'FunctionsSecurityGroup', {
      vpc: this.vpc,
      description: 'Atlas-calling restore functions: HTTPS out only (Atlas Admin API and AWS APIs), nothing in',
      allowAllOutbound: false,
    });
    // Atlas, Secrets Manager, Step Functions, DynamoDB and X-Ray are all HTTPS. DNS goes to the VPC
    // resolver, which security groups do not filter.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the Atlas Admin API and AWS service endpoints');
    this.outputs(options);
  }

  private outputs(options: AtlasEgressProps['options']): void {
    const stack = Stack.of(this);
    if (options.mode === 'nat') {
      const ips = Fn.join(',', this.elasticIps.map((e) => e.attrPublicIp));
      this.accessListOutputs(ips, Fn.join('', [API_KEY_ACCESS_LIST_CREATE, '--ip ', ips]));
    } else if (options.egressIps) {
      // The user's NAT: the stack cannot look its addresses up (no lookups at synth), so it repeats what it was told.
      this.accessListOutputs(options.egressIps.map((e) => e.value).join(','), apiKeyAccessListCommand(options.egressIps));
    } else {
      const findIps = `aws ec2 describe-nat-gateways --filter Name=vpc-id,Values=${options.vpcId} --query "NatGateways[].NatGatewayAddresses[].PublicIp" --output text`;
      new CfnOutput(stack, 'AtlasAccessListNextStep', {
        value: `Add the public IPs of the NAT gateways of ${options.vpcId} to the Atlas API access list yourself (find them with: ${findIps}), or redeploy with -c egressIps=<ip>,<ip> to get AtlasEgressIps and AtlasAccessListCommand`,
        description: 'Your VPC, your NAT: the stack does not know the addresses Atlas will see (docs/operations.md, "Atlas API access lists")',
      });
      Annotations.of(this).addWarningV2(
        'atlas-restore:egressIps',
        `Egress goes through your own NAT in ${options.vpcId}, whose public IPs the stack cannot know: it outputs no AtlasEgressIps. ` +
          'Add those IPs to the Atlas API access list of the key or service account yourself (output AtlasAccessListNextStep says how), ' +
          'or pass -c egressIps=203.0.113.10,203.0.113.11 to have the stack output them with the Atlas CLI command.',
      );
    }
    new CfnOutput(stack, 'AtlasFunctionsSecurityGroupId', {
      value: this.securityGroup.securityGroupId,
      description: 'Security group of the functions that call Atlas (HTTPS out only)',
    });
  }

  /** The same two outputs whoever owns the NAT, so scripts read one OutputKey in every mode. */
  private accessListOutputs(ips: string, command: string): void {
    const stack = Stack.of(this);
    new CfnOutput(stack, 'AtlasEgressIps', {
      value: ips,
      description: 'Every Atlas Admin API call leaves from one of these addresses: add them to the API key or service account access list',
    });
    new CfnOutput(stack, 'AtlasAccessListCommand', {
      value: command,
      description: 'Atlas CLI command that adds the egress addresses to an API key access list (service accounts: see docs/operations.md)',
    });
  }
}
