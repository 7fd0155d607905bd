import { z } from 'zod';
import { createRandom, hashSeed } from '../random.js';

/**
 * Faults for the alerts the simulator sends (`faults.deliveries` in a world or `setFaults`): a rule
 * matches an alert by event type name, project id or "*", then delays it, loses it, sends it twice,
 * signs it with the wrong key, or sends it before a GET of the job shows the job ended (Atlas lag).
 * Rates draw from the rule's own random stream (seeded like the request faults); `script` forces
 * the next matching alerts' fate in order. One decision per restore job end, drawn when that end
 * is decided (at create, or when `finishJob` ends it), so a job moved by `finishJob` keeps its fate.
 */

const DeliveryAction = z.union([
  z.literal('lost'),
  z.literal('duplicate'),
  z.literal('badSignature'),
  z.literal('pass'),
  /** Sent this many simulated seconds after the job ended. */
  z.object({ delaySeconds: z.number().min(0) }).strict(),
  /** Sent when the job ends, but a GET shows the end only this many simulated seconds later. */
  z.object({ earlySeconds: z.number().positive() }).strict(),
]);
type DeliveryAction = z.infer<typeof DeliveryAction>;

export const DeliveryFaultRule = z
  .object({
    match: z.string().min(1).default('*'),
    lostRate: z.number().min(0).max(1).default(0),
    duplicateRate: z.number().min(0).max(1).default(0),
    badSignatureRate: z.number().min(0).max(1).default(0),
    /** Every matching alert is sent this many simulated seconds late. */
    delaySeconds: z.number().min(0).default(0),
    /** Every matching alert arrives this many simulated seconds before a GET shows the job ended. */
    earlySeconds: z.number().min(0).default(0),
    script: z.array(DeliveryAction).default([]),
  })
  .strict();
export type DeliveryFaultRuleInput = z.input<typeof DeliveryFaultRule>;

/** What happens to one alert. */
export interface DeliveryDecision {
  lost: boolean;
  duplicate: boolean;
  badSignature: boolean;
  delayMs: number;
  earlyMs: number;
  /** Which rule fired and how, for the delivery log. */
  label?: string;
}

interface RuleState {
  rule: z.infer<typeof DeliveryFaultRule>;
  random: () => number;
  script: DeliveryAction[];
}

export class DeliveryFaultEngine {
  private rules: RuleState[] = [];

  constructor(
    private readonly seed: number,
    rules: z.infer<typeof DeliveryFaultRule>[] = [],
  ) {
    this.rules = rules.map((rule, i) => ({
      rule,
      random: createRandom(hashSeed(this.seed, `delivery:${i}:${rule.match}`)),
      script: [...rule.script],
    }));
  }

  decide(eventTypeName: string, groupId: string): DeliveryDecision {
    const d: DeliveryDecision = { lost: false, duplicate: false, badSignature: false, delayMs: 0, earlyMs: 0 };
    const labels: string[] = [];
    for (const [i, state] of this.rules.entries()) {
      const { rule } = state;
      if (rule.match !== '*' && rule.match !== eventTypeName && rule.match !== groupId) continue;
      const name = `delivery rule ${i} (${rule.match})`;
      // Always the same number of draws per matching alert: the sequence depends only on the seed.
      const [lostDraw, duplicateDraw, signatureDraw] = [1, 2, 3].map(() => state.random()) as [number, number, number];
      d.delayMs = Math.max(d.delayMs, rule.delaySeconds * 1000);
      d.earlyMs = Math.max(d.earlyMs, rule.earlySeconds * 1000);
      if (rule.delaySeconds > 0) labels.push(`${name}: delayed ${rule.delaySeconds} s`);
      if (rule.earlySeconds > 0) labels.push(`${name}: ${rule.earlySeconds} s early`);
      const forced = state.script.shift();
      if (forced !== undefined) {
        if (forced === 'lost' || forced === 'duplicate' || forced === 'badSignature') {
          d[forced] = true;
          labels.push(`${name}: scripted ${forced}`);
        } else if (forced !== 'pass' && 'delaySeconds' in forced) {
          d.delayMs = Math.max(d.delayMs, forced.delaySeconds * 1000);
          labels.push(`${name}: scripted delay ${forced.delaySeconds} s`);
        } else if (forced !== 'pass') {
          d.earlyMs = Math.max(d.earlyMs, forced.earlySeconds * 1000);
          labels.push(`${name}: scripted ${forced.earlySeconds} s early`);
        }
        continue;
      }
      if (lostDraw < rule.lostRate) {
        d.lost = true;
        labels.push(`${name}: lost`);
      }
      if (duplicateDraw < rule.duplicateRate) {
        d.duplicate = true;
        labels.push(`${name}: duplicated`);
      }
      if (signatureDraw < rule.badSignatureRate) {
        d.badSignature = true;
        labels.push(`${name}: badly signed`);
      }
    }
    return labels.length ? { ...d, label: labels.join('; ') } : d;
  }
}
