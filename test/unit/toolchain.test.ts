import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs on the pinned Node 24, not the system Node', () => {
    // A bare node_modules/.bin/vitest would run on the system Node 20 and crash later in odd ways.
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });
});
