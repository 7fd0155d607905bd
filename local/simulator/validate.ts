import { errors, type FieldViolation } from './errors.js';

/**
 * Reads a JSON request body the way Atlas checks one, independently of the client's own schemas
 * (so each catches the other's mistakes):
 * 1. not an object → INVALID_JSON; an unknown attribute → INVALID_ATTRIBUTE; a read-only one → ATTRIBUTE_READ_ONLY;
 * 2. a value outside its enum → INVALID_ENUM_VALUE;
 * 3. wrong type, pattern or minimum → one VALIDATION_ERROR listing every such field (`done()`).
 * Rules between fields (required, mutually exclusive) belong to each resource module.
 */

export const OBJECT_ID = /^[a-f0-9]{24}$/;
export const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
export const DEPLOYMENT_ITEM_NAME = /^[\p{L}\p{N}\-_.(),:&@+']{1,64}$/u;
export const EPOCH_FLOOR_SECONDS = 1_199_145_600;

export interface BodySpec {
  writable: readonly string[];
  readOnly?: readonly string[];
}

export class Body {
  private constructor(
    private readonly obj: Record<string, unknown>,
    private readonly prefix: string,
    private readonly violations: FieldViolation[],
  ) {}

  static read(body: unknown, spec: BodySpec): Body {
    return Body.check(body, spec, '', []);
  }

  private static check(body: unknown, spec: BodySpec, prefix: string, violations: FieldViolation[]): Body {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      if (prefix) throw errors.invalidJsonAttribute(prefix.slice(0, -1), 'must be an object');
      throw errors.invalidJson();
    }
    for (const key of Object.keys(body)) {
      if (spec.readOnly?.includes(key)) throw errors.readOnlyAttribute(`${prefix}${key}`);
      if (!spec.writable.includes(key)) throw errors.invalidAttribute(`${prefix}${key}`, 'is not an attribute of this resource');
    }
    return new Body(body as Record<string, unknown>, prefix, violations);
  }

  private name(field: string): string {
    return `${this.prefix}${field}`;
  }

  private value(field: string): unknown {
    const v = this.obj[field];
    return v === null ? undefined : v;
  }

  private violation(field: string, description: string): undefined {
    this.violations.push({ field: this.name(field), description });
    return undefined;
  }

  has(field: string): boolean {
    return this.value(field) !== undefined;
  }

  str(field: string, pattern?: RegExp, patternText?: string): string | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return this.violation(field, 'must be a string');
    if (pattern && !pattern.test(v)) return this.violation(field, `must match ${patternText ?? pattern.source}`);
    return v;
  }

  id(field: string): string | undefined {
    return this.str(field, OBJECT_ID, 'a 24-character hexadecimal id');
  }

  int(field: string, min?: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.violation(field, 'must be an integer');
    if (min !== undefined && v < min) return this.violation(field, `must be at least ${min}`);
    if (v > max) return this.violation(field, `must be at most ${max}`);
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !values.includes(v as T)) throw errors.invalidEnum(this.name(field), v, values);
    return v as T;
  }

  nested(field: string, spec: BodySpec): Body | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    return Body.check(v, spec, `${this.name(field)}.`, this.violations);
  }

  /** An array of objects (at most `max`), each read under `field.i.` with its own spec. */
  items(field: string, spec: BodySpec, max: number): Body[] | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return this.violation(field, 'must be an array');
    if (v.length > max) return this.violation(field, `must have at most ${max} items`);
    return v.map((item, i) => Body.check(item, spec, `${this.name(field)}.${i}.`, this.violations));
  }

  /** Throws one VALIDATION_ERROR naming every field that broke a type, pattern or minimum rule. */
  done(): void {
    if (this.violations.length) throw errors.validation(this.violations);
  }
}
