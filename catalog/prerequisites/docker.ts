import type { Provided } from "../spec";
import { arr, type Obj } from "../values";
import { provided } from "./read";

// What image-building resource types put in place: the `repo:tag` references they push.

/** A Docker Build image: every tag, when it pushes. */
export const buildImage = (i: Obj): Provided[] =>
    i["push"] === true ? arr(i["tags"]).flatMap((t) => provided("image", t)) : [];

/** A Docker provider image (v4): its `imageName`, unless it skips the push. */
export const dockerImage = (i: Obj): Provided[] => (i["skipPush"] === true ? [] : provided("image", i["imageName"]));

/** A Docker provider registry image: the `name` it pushes. */
export const registryImage = (i: Obj): Provided[] => provided("image", i["name"]);
