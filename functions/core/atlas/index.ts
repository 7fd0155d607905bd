/** The Atlas Admin API v2 client and credentials: the public surface the rest of the core uses. */
export {
  createAtlasClient,
  type AtlasClient,
  type AtlasClientEvent,
} from './client.js';
export { clearTokenCache } from './oauth.js';
