import * as mock from "./mock/random";
import type { Catalogue } from "./spec";

// The random provider's types: generated values, free. The naming suffix is stateful: every physical
// name derives from it, so replacing it renames (replaces) the stack's buckets and registries.

const NONE: readonly string[] = [];

export const RANDOM: Catalogue = {
    "random:index/randomId:RandomId": {
        kind: "random",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.randomId,
    },
    "random:index/randomPassword:RandomPassword": {
        kind: "random",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.randomPassword,
    },
    "random:index/randomString:RandomString": {
        kind: "random",
        stateful: true,
        tags: NONE,
        price: "free",
        mock: mock.randomString,
    },
};
