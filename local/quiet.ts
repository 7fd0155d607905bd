/**
 * Imported first by the CLI: Powertools reads these when its Logger and Metrics are built, which
 * happens as the handlers load. The local runner tells its story itself; Lambda-style JSON logs and
 * EMF metrics on stdout would drown it.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
