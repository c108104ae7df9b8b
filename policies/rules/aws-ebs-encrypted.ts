import { arr, get, isTrue, label, resourceRule } from "../props";

/**
 * EBS volumes, instance root and data volumes and launch template volumes are encrypted.
 * Public source: Checkov CKV_AWS_3 (EBS volume), CKV_AWS_8 (launch configuration volumes); AWS Security Hub EC2.3.
 */
export const awsEbsEncrypted = resourceRule({
    name: "aws-ebs-encrypted",
    description: "EBS volumes (standalone, instance root/data, launch template) are encrypted.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:ebs/volume:Volume", "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"],
    check: (props, args, report) => {
        const bad: string[] = [];
        if (args.type === "aws:ebs/volume:Volume") {
            if (!isTrue(props["encrypted"])) bad.push("volume");
        } else if (args.type === "aws:ec2/instance:Instance") {
            if (props["launchTemplate"] === undefined && !isTrue(get(props, "rootBlockDevice.encrypted")))
                bad.push("root volume");
            arr(props["ebsBlockDevices"]).forEach((d, i) => {
                if (!isTrue(get(d, "encrypted"))) bad.push(`ebsBlockDevices[${i}]`);
            });
        } else {
            arr(props["blockDeviceMappings"]).forEach((d, i) => {
                if (get(d, "ebs") !== undefined && !isTrue(get(d, "ebs.encrypted")))
                    bad.push(`blockDeviceMappings[${i}]`);
            });
        }
        if (bad.length > 0) report(`${label(args)} has unencrypted EBS storage: ${bad.join(", ")}`);
    },
});
