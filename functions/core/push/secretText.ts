/**
 * The webhook secret as kept in Secrets Manager: a plain string, or JSON with a `secret` or
 * `webhookSecret` field. One reading for both sides (`alerts setup`, which gives it to Atlas, and
 * the receiver, which checks signatures with it), so the two always hold the same bytes.
 */
export function webhookSecretFromText(text: string, secretName: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed !== 'object' || parsed === null) return text;
  const value = (parsed as Record<string, unknown>).secret ?? (parsed as Record<string, unknown>).webhookSecret;
  if (typeof value === 'string' && value !== '') return value;
  throw new Error(`The secret "${secretName}" is JSON without a "secret" or "webhookSecret" string`);
}
