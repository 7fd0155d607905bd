/**
 * Hosts only this machine reaches: where the simulator listens, the only place the local API may
 * bind, and the only place an alert receiver may be plain http. One rule for all three.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
