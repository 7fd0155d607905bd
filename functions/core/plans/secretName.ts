import * as z from 'zod';

/**
 * A Secrets Manager secret name, by Secrets Manager's own rule: 1-512 ASCII letters, digits and
 * /_+=.@-. Checked where a person writes one (the plans file, `-c atlasSecretName=`), because a
 * wrong one otherwise shows only when a function first reads the secret, mid-restore.
 */
export const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
export const SECRET_NAME_RULE = 'must be a Secrets Manager secret name: 1-512 ASCII letters, digits and /_+=.@-';

export const SecretName = z.string().regex(SECRET_NAME, SECRET_NAME_RULE);
