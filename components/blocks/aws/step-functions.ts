import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as scheduler from "@pulumi/aws/scheduler";
import * as sfn from "@pulumi/aws/sfn";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, type Statement, trustPolicy } from "./iam";
import { LOG_RETENTION_DAYS } from "./logs";

// Step Functions as the stack runs it: a STANDARD state machine that logs every transition to a
// KMS-encrypted group, started on a schedule by EventBridge Scheduler. Batch jobs, training jobs
// and Spark runs are all such a state machine around one `.sync` task.

/** The account a state machine lives in and the key its logs are encrypted with (the foundation's). */
export interface StateMachineHost {
    readonly accountId: pulumi.Output<string>;
    /** `aws`, `aws-cn` or `aws-us-gov`, for ARNs. */
    readonly partition: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
}

/**
 * Log delivery actions Step Functions needs to write to CloudWatch Logs. AWS documents that they
 * support no resource-level permissions, hence "*".
 */
export const SFN_LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

/**
 * The rights on the EventBridge rule Step Functions manages to learn that a `.sync` task ended
 * (one rule per integration and account, named by AWS).
 */
export function syncRuleStatement(host: StateMachineHost, region: string, rule: string): Statement {
    return {
        Sid: "SyncRule",
        Effect: "Allow",
        Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
        Resource: pulumi.interpolate`arn:${host.partition}:events:${region}:${host.accountId}:rule/${rule}`,
    };
}

export interface LoggedStateMachineArgs {
    readonly host: StateMachineHost;
    /** Physical name of the state machine; its log group is named after it. */
    readonly stateMachineName: string;
    /** Physical name of its role. */
    readonly roleName: string;
    /** What the role may do besides delivering logs. */
    readonly statements: readonly Statement[];
    /** The definition (Amazon States Language JSON). */
    readonly definition: pulumi.Input<string>;
    readonly tags: Record<string, string>;
}

export interface LoggedStateMachine {
    readonly stateMachine: sfn.StateMachine;
    readonly role: iam.Role;
    readonly logGroup: cloudwatch.LogGroup;
}

/**
 * A STANDARD state machine with its own role and a log group with retention and the foundation's
 * key. It logs every state transition, without the job's input and output data. Children are
 * named from `name` (`-sfn`, `-sfn-role`, `-sfn-policy`, `-sfn-logs`) and parented to `parent`.
 */
export function loggedStateMachine(
    name: string,
    a: LoggedStateMachineArgs,
    parent: pulumi.Resource,
): LoggedStateMachine {
    const logGroup = new cloudwatch.LogGroup(
        `${name}-sfn-logs`,
        {
            // The /aws/vendedlogs/ prefix keeps CloudWatch's resource policy small (AWS's advice for Step Functions).
            name: `/aws/vendedlogs/states/${a.stateMachineName}`,
            retentionInDays: LOG_RETENTION_DAYS,
            kmsKeyId: a.host.kmsKeyArn,
            tags: a.tags,
        },
        { parent },
    );
    const role = new iam.Role(
        `${name}-sfn-role`,
        {
            name: a.roleName,
            assumeRolePolicy: trustPolicy("states.amazonaws.com", a.host.accountId),
            tags: a.tags,
        },
        { parent },
    );
    const policy = new iam.RolePolicy(
        `${name}-sfn-policy`,
        {
            role: role.id,
            policy: policyJson([
                ...a.statements,
                { Sid: "LogDelivery", Effect: "Allow", Action: SFN_LOG_DELIVERY_ACTIONS, Resource: "*" },
            ]),
        },
        { parent },
    );
    const stateMachine = new sfn.StateMachine(
        `${name}-sfn`,
        {
            name: a.stateMachineName,
            type: "STANDARD",
            roleArn: role.arn,
            definition: a.definition,
            loggingConfiguration: {
                // The log destination must name the log streams (":*").
                logDestination: pulumi.interpolate`${logGroup.arn}:*`,
                // Every state transition, without the job's input and output data.
                includeExecutionData: false,
                level: "ALL",
            },
            tags: a.tags,
        },
        // Step Functions checks the role's log delivery rights when the state machine is created.
        { parent, dependsOn: [policy] },
    );
    return { stateMachine, role, logGroup };
}

export interface ScheduledStartArgs {
    readonly host: Pick<StateMachineHost, "accountId">;
    readonly stateMachineArn: pulumi.Input<string>;
    /** Physical names of the schedule and of the scheduler's role. */
    readonly scheduleName: string;
    readonly roleName: string;
    readonly description: string;
    /** EventBridge Scheduler expression, `cron(...)`, read in UTC. */
    readonly expression: string;
    /** Tags of the role (schedules take none). */
    readonly tags: Record<string, string>;
}

/**
 * An EventBridge Scheduler schedule that starts the state machine, with a role that may start that
 * one state machine and nothing else. Children are named `-scheduler-role`, `-scheduler-policy`
 * and `-schedule` from `name`.
 */
export function scheduledStart(name: string, a: ScheduledStartArgs, parent: pulumi.Resource): scheduler.Schedule {
    const role = new iam.Role(
        `${name}-scheduler-role`,
        {
            name: a.roleName,
            assumeRolePolicy: trustPolicy("scheduler.amazonaws.com", a.host.accountId),
            tags: a.tags,
        },
        { parent },
    );
    new iam.RolePolicy(
        `${name}-scheduler-policy`,
        {
            role: role.id,
            policy: policyJson([
                { Sid: "StartRun", Effect: "Allow", Action: "states:StartExecution", Resource: a.stateMachineArn },
            ]),
        },
        { parent },
    );
    // Schedules take no tags (EventBridge Scheduler has none); the state machine and its runs carry them.
    return new scheduler.Schedule(
        `${name}-schedule`,
        {
            name: a.scheduleName,
            description: a.description,
            scheduleExpression: a.expression,
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "OFF" },
            target: { arn: a.stateMachineArn, roleArn: role.arn, input: "{}" },
        },
        { parent },
    );
}
