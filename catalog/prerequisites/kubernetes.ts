import type { Prerequisite } from "../spec";
import { arr, at, type Obj } from "../values";
import { podSpecImages } from "./read";

// What Kubernetes objects need in place before they run: the images of their pods.

/** The images of a workload whose pod spec sits at `path`. */
export const podImages =
    (path: string) =>
    (i: Obj): Prerequisite[] =>
        podSpecImages(at(i, path), path);

/** A KubeRay RayCluster: its head group's and every worker group's images. */
export const rayCluster = (i: Obj): Prerequisite[] => [
    ...podSpecImages(at(i, "spec.headGroupSpec.template.spec"), "spec.headGroupSpec.template.spec"),
    ...arr(at(i, "spec.workerGroupSpecs")).flatMap((g, n) =>
        podSpecImages(at(g, "template.spec"), `spec.workerGroupSpecs[${n}].template.spec`),
    ),
];
