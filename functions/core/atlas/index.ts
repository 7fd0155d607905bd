/** The Atlas Admin API v2 client and credentials: the public surface the rest of the core uses. */
export {
  createAtlasClient,
  mediaType,
  DEFAULT_TIMEOUTS,
  DEFAULT_USER_AGENT,
  DEFAULT_MAX_LIST_ITEMS,
  type AtlasClient,
  type AtlasClientOptions,
  type AtlasClientTimeouts,
  type AtlasClientEvent,
} from './client.js';
export {
  AtlasCredentialsSchema,
  AtlasConnectionSchema,
  DEFAULT_BASE_URL,
  GOV_BASE_URL,
  atlasProfileSecretName,
  connectionFromSecretString,
  connectionFromEnv,
  loadConnectionFromSecretsManager,
  normaliseBaseUrl,
  redact,
  resetSecretsProvider,
  type AtlasCredentials,
  type AtlasConnection,
  type LoadSecretOptions,
} from './credentials.js';
export { BASE_URL_VARIABLES, SERVICE_VARIABLE, baseUrlFromEnv, checkBaseUrl, type BaseUrlChoice } from './baseUrl.js';
export { clearTokenCache, TOKEN_PATH } from './oauth.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export {
  ATLAS_API_PREFIX,
  type AtlasApiVersion,
  type AtlasRequest,
  type AtlasResponse,
  type AtlasTransport,
  type ListOptions,
  type QueryValue,
} from './transport.js';
export {
  RESTORE_ALERT_EVENT_TYPES,
  listAlertConfigs,
  createAlertConfig,
  updateAlertConfig,
  type AlertConfig,
  type RestoreAlertEventType,
  type WebhookAlertConfig,
} from './alertConfigs.js';
