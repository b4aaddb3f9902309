/**
 * Imported first by the runtime: function logs and EMF metrics would bury the CLI's output, so
 * Powertools is told to stay silent before shared/observability.ts creates its instances.
 * SLBC_LOCAL_LOGS=1 keeps them.
 */
if (process.env['SLBC_LOCAL_LOGS'] !== '1') {
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
  process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';
}
