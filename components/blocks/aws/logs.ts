/** Days AWS logs (Step Functions, flow logs, jobs, clusters) are kept: long enough to debug a month of runs. */
export const LOG_RETENTION_DAYS = 90;
