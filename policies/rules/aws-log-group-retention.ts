import { DEFAULT_MIN_LOG_RETENTION_DAYS, LOG_RETENTION_SCHEMA, withDefaults } from "../config";
import { label, num, resourceRule } from "../props";

/**
 * CloudWatch log groups set a retention of at least the configured days (never "keep forever" by omission, never too short).
 * Public source: Checkov CKV_AWS_66 (retention specified); CKV_AWS_338 (at least one year) is stricter.
 */
export const awsLogGroupRetention = resourceRule({
    name: "aws-log-group-retention",
    description: "CloudWatch log groups set a retention period of at least minDays (default 30).",
    enforcementLevel: "advisory",
    severity: "low",
    configSchema: LOG_RETENTION_SCHEMA,
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (props, args, report) => {
        const { minDays } = withDefaults(args.getConfig<{ minDays?: number }>(), {
            minDays: DEFAULT_MIN_LOG_RETENTION_DAYS,
        });
        const days = num(props["retentionInDays"]);
        if (days === undefined || days === 0) report(`${label(args)} sets no retention (retentionInDays)`);
        else if (days < minDays) report(`${label(args)} keeps logs ${days} days, less than ${minDays}`);
    },
});
