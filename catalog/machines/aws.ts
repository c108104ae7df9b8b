import { arr, get, isObj, num, type Obj, str, walk } from "../values";
import { awsFact, type MachineFact, parseDocumentString } from "./shapes";

// The machines of AWS resource types, from their planned inputs. Pure.

/** SageMaker jobs inside a Step Functions definition (processing, training, transform; any nesting). */
export function stepFunctionsJobs(inputs: Obj): MachineFact[] {
    const def = parseDocumentString(inputs["definition"]);
    const out: MachineFact[] = [];
    for (const o of walk(def)) {
        const cfg =
            get(o, "ProcessingResources", "ClusterConfig") ??
            (isObj(o["ResourceConfig"]) && "InstanceType" in (o["ResourceConfig"] as Obj)
                ? o["ResourceConfig"]
                : undefined) ??
            get(o, "TransformResources");
        if (!isObj(cfg)) continue;
        const type = str(cfg["InstanceType"]);
        if (!type) continue;
        const count = num(cfg["InstanceCount"]) ?? 1;
        out.push(awsFact(type, { min: 0, max: count }, "job", num(cfg["VolumeSizeInGB"])));
    }
    return out;
}

/** An EC2 instance: always on, with its root volume. */
export const ec2Instance = (i: Obj): MachineFact[] =>
    str(i["instanceType"])
        ? [awsFact(str(i["instanceType"])!, { min: 1, max: 1 }, "nodes", num(get(i, "rootBlockDevice", "volumeSize")))]
        : [];

/** An EKS managed node group: its first instance type between the scaling minimum and maximum. */
export function eksNodeGroup(i: Obj): MachineFact[] {
    const type = str(arr(i["instanceTypes"])[0]) ?? "t3.medium";
    const min = num(get(i, "scalingConfig", "minSize")) ?? 1;
    const max = num(get(i, "scalingConfig", "maxSize")) ?? min;
    return [awsFact(type, { min, max }, "nodes", num(i["diskSize"]))];
}

export function emrCluster(inputs: Obj): MachineFact[] {
    const out: MachineFact[] = [];
    for (const key of ["masterInstanceGroup", "coreInstanceGroup"]) {
        const g = inputs[key];
        const type = str(get(g, "instanceType"));
        if (!type) continue;
        const n = num(get(g, "instanceCount")) ?? 1;
        out.push(awsFact(type, { min: n, max: n }, "nodes"));
    }
    return out;
}

/** One EMR instance group. */
export const emrInstanceGroup = (i: Obj): MachineFact[] =>
    str(i["instanceType"])
        ? [
              awsFact(
                  str(i["instanceType"])!,
                  { min: num(i["instanceCount"]) ?? 0, max: num(i["instanceCount"]) ?? 0 },
                  "nodes",
              ),
          ]
        : [];

/** The instance-backed production variants of a SageMaker endpoint configuration. */
export const sagemakerEndpointConfiguration = (i: Obj): MachineFact[] =>
    arr(i["productionVariants"]).flatMap((v) => {
        const type = str(get(v, "instanceType"));
        if (!type) return [];
        const n = num(get(v, "initialInstanceCount")) ?? 1;
        return [awsFact(type, { min: n, max: n }, "nodes")];
    });

/** The brokers of a provisioned MSK cluster. */
export function mskCluster(i: Obj): MachineFact[] {
    const type = str(get(i, "brokerNodeGroupInfo", "instanceType"));
    const n = num(i["numberOfBrokerNodes"]) ?? 0;
    return type ? [awsFact(type, { min: n, max: n }, "nodes")] : [];
}
