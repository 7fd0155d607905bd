// Quiet, deterministic Powertools in every test process.
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.POWERTOOLS_SERVICE_NAME ??= 'atlas-restore';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'AtlasRestore';
