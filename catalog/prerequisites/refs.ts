// How references are compared: an image written `python:3.12` and one written
// `docker.io/library/python:3.12` are the same image, so both sides of a match are normalized the
// way Docker and containerd read them (distribution/reference's ParseNormalizedNamed).

/** An image reference split into its parts. */
export interface ImageRef {
    /** The registry host (with port), `docker.io` when the reference names none. */
    readonly host: string;
    /** The repository path inside the registry (`library/python` for Docker Hub's official images). */
    readonly path: string;
    readonly tag?: string;
    readonly digest?: string;
    /** True when the reference named no registry host (`python:3.12`, `rayproject/ray:2.52.0`). */
    readonly hostless: boolean;
}

const DOCKER_HUB = "docker.io";

/**
 * The parts of an image reference, as distribution/reference normalizes it: the first path
 * component is a registry host when it holds a `.` or a `:` or is `localhost`; otherwise the image
 * is on Docker Hub, where a one-component path is an official image under `library/`.
 */
export function parseImage(ref: string): ImageRef {
    const at = ref.indexOf("@");
    const name = at < 0 ? ref : ref.slice(0, at);
    const digest = at < 0 ? undefined : ref.slice(at + 1);
    const slash = name.lastIndexOf("/");
    const colon = name.lastIndexOf(":");
    const tag = colon > slash ? name.slice(colon + 1) : undefined;
    const repo = colon > slash ? name.slice(0, colon) : name;
    const first = repo.split("/")[0]!;
    const hasHost = repo.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
    let host = hasHost ? first : DOCKER_HUB;
    let path = hasHost ? repo.slice(first.length + 1) : repo;
    if (host === "index.docker.io" || host === "registry-1.docker.io") host = DOCKER_HUB;
    if (host === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
    return {
        host,
        path,
        ...(tag !== undefined ? { tag } : {}),
        ...(digest !== undefined ? { digest } : {}),
        hostless: !hasHost,
    };
}

/** The one spelling of an image reference: host, path, tag and digest, as normalized by parseImage. */
export function normalImage(ref: string): string {
    const r = parseImage(ref);
    return `${r.host}/${r.path}${r.tag !== undefined ? `:${r.tag}` : ""}${r.digest !== undefined ? `@${r.digest}` : ""}`;
}

/**
 * The key of an object URI inside its bucket or container: what follows `scheme://authority/` in
 * `s3://bucket/key`, `gs://bucket/key` or `abfss://container@account.dfs.core.windows.net/key`;
 * undefined for anything else, a web address included. Pure.
 */
export function objectKeyOf(uri: string): string | undefined {
    const m = /^([a-z][a-z0-9+.-]*):\/\/[^/]+\/(.+)$/i.exec(uri);
    return m && !/^https?$/i.test(m[1]!) ? m[2] : undefined;
}

/** True when two references name the same thing: objects and templates as written, images normalized. */
export function sameRef(kind: "object" | "image" | "template", a: string, b: string): boolean {
    return kind === "image" ? normalImage(a) === normalImage(b) : a === b;
}

/** Tags that move to newer builds by design, whatever else they say. */
const FLOATING = /(^|[-_.])(latest|nightly|edge|stable|main|master|dev)([-_.]|$)/i;

/**
 * Why an image reference is not pinned to one version, or undefined when it is: a digest pins it;
 * otherwise it needs a tag that names a version (holds a digit) and is not a moving tag (`latest`,
 * `nightly`, `stable`...). Pure.
 */
export function unpinnedImage(ref: string): string | undefined {
    const r = parseImage(ref);
    if (r.digest !== undefined) return undefined;
    if (r.tag === undefined) return "it has no tag, so it pulls 'latest'";
    if (FLOATING.test(r.tag)) return `its tag '${r.tag}' moves to newer builds`;
    if (!/\d/.test(r.tag)) return `its tag '${r.tag}' names no version`;
    return undefined;
}
