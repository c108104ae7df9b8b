import { hex, type MockState, randomResult } from "./helpers";

// Outputs of the random provider's types: deterministic, so two plans of one program are identical.

export const randomString: MockState = (a) => ({ result: randomResult(a.name, Number(a.inputs.length ?? 8)) });

export const randomPassword: MockState = (a) => ({ result: randomResult(a.name, Number(a.inputs.length ?? 16)) });

export const randomId: MockState = (a) => ({
    hex: hex(a.name, Number(a.inputs.byteLength ?? 4) * 2),
    b64Url: hex(a.name),
});
