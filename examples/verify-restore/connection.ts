/**
 * Where the restored cluster is: an Atlas SRV host name as before (`staging.ab1cd.mongodb.net`), or
 * a connection string, `mongodb+srv://host/` or `mongodb://host1:27017,host2:27017/?replicaSet=rs0`
 * (a self-managed cluster, a private endpoint's hosts). Never with credentials in it: the user and
 * password come from the secret and go to the driver as `auth`, so nothing in a logged or reported
 * connection string is secret, and a string from the environment cannot switch users.
 */

const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?';
/** A DNS host name of two labels or more: nothing that could smuggle a path or URI options. */
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})+$`);
/** One `host[:port]` of a `mongodb://` seed list: a host name, `localhost` or an IPv4 address. */
const SEED = new RegExp(`^(?:(?=.{1,253}(?::|$))${LABEL}(\\.${LABEL})*|\\d{1,3}(\\.\\d{1,3}){3})(:\\d{1,5})?$`);

class ConnectionStringError extends Error {
  override name = 'VerifySetupError';
}

/** The connection string the driver is given for a host name or connection string; refuses anything else, saying why. */
export function connectionString(hostOrUri: string): string {
  if (HOST_NAME.test(hostOrUri)) return `mongodb+srv://${hostOrUri}/`;
  const match = /^(mongodb(?:\+srv)?):\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/.exec(hostOrUri);
  if (!match) throw new ConnectionStringError(`the cluster host must be a host name such as staging.ab1cd.mongodb.net, or a mongodb:// or mongodb+srv:// connection string; got "${shown(hostOrUri)}"`);
  const [, scheme, authority = '', path = '', query = ''] = match;
  if (authority.includes('@')) throw new ConnectionStringError('the connection string must not hold a user or password: they come from the secret');
  if (path !== '' && path !== '/') throw new ConnectionStringError('the connection string must not name a database: VERIFY_CHECKS does');
  const hosts = authority.split(',');
  if (scheme === 'mongodb+srv' && (hosts.length !== 1 || !HOST_NAME.test(hosts[0]!)))
    throw new ConnectionStringError('a mongodb+srv:// connection string names exactly one host name, without a port');
  if (scheme === 'mongodb' && !hosts.every((h) => SEED.test(h) && portOk(h)))
    throw new ConnectionStringError('a mongodb:// connection string lists host[:port] entries separated by commas');
  return `${scheme}://${authority}/${query}`;
}

const portOk = (seed: string) => {
  const port = /:(\d+)$/.exec(seed)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
};

/** A refused value is echoed without whatever precedes an @: a user and password sit there. */
const shown = (text: string) => text.replace(/^([^:/?#]*:\/\/)?[^@]*@/, '$1…@').slice(0, 200);
