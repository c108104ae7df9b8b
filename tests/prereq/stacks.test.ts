import * as path from "node:path";
import { planPrerequisites } from "../../cli/plan/prerequisites";
import type { PrerequisiteCheck } from "../../offline/prerequisites";
import { configFor, planConfig } from "../helpers/plan";

/**
 * Create-time prerequisites of whole stacks whose options supply artifacts: a team's own streaming
 * code is an object key in the artifacts store, read by the engine as a whole object URI, and is
 * the team's to upload. Plans run one after the other (the Pulumi runtime runs one program at a time).
 */

const STREAMING = { data: { volumeGb: 20, freshnessSeconds: 30 }, inference: { mode: "streaming" } };

/** The prerequisites read from one input of the resources of one type. */
const at = (checks: readonly PrerequisiteCheck[], type: string, input: string, name: string) =>
    checks.filter((c) => c.type === type && c.input === input && c.urn.endsWith(`::${name}`));

describe("AWS level 3: a team's Flink application key is supplied by the team", () => {
    const APP = "aws:kinesisanalyticsv2/application:Application";
    const CODE = "applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey";
    let plain: PrerequisiteCheck[];
    let own: PrerequisiteCheck[];
    beforeAll(async () => {
        plain = planPrerequisites(await planConfig(configFor("aws", STREAMING)));
        own = planPrerequisites(
            await planConfig(
                configFor("aws", STREAMING, {
                    "mlops:options": { streamingCode: { inference: "team/streaming/scoring.zip" } },
                }),
            ),
        );
    });

    it("without the option, both applications read the upload the plan creates", () => {
        for (const p of ["data", "inference"]) {
            const [c] = at(plain, APP, CODE, `streaming-${p}-flink`);
            expect(c).toMatchObject({
                met: "created",
                ref: expect.stringMatching(/\/samples\/streaming\/application\.zip$/),
            });
        }
    });

    it("with it, the inference application's code is the team's, by the option; nothing is unmet", () => {
        const [inference] = at(own, APP, CODE, "streaming-inference-flink");
        expect(inference).toMatchObject({
            kind: "object",
            ref: expect.stringMatching(
                /^s3:\/\/mlops-levels-dev-artifacts-[a-z0-9]{6}\/team\/streaming\/scoring\.zip$/,
            ),
            met: "user",
            why: "mlops:options.streamingCode.inference",
        });
        expect(at(own, APP, CODE, "streaming-data-flink")[0]).toMatchObject({ met: "created" });
        expect(own.filter((c) => c.met === null)).toEqual([]);
    });
});

describe("GCP level 3: a team's scoring UDF key is supplied by the team", () => {
    const JOB = "gcp:dataflow/flexTemplateJob:FlexTemplateJob";
    const UDF = "parameters.javascriptTextTransformGcsPath";
    let plain: PrerequisiteCheck[];
    let own: PrerequisiteCheck[];
    beforeAll(async () => {
        plain = planPrerequisites(await planConfig(configFor("gcp", STREAMING)));
        own = planPrerequisites(
            await planConfig(
                configFor("gcp", STREAMING, {
                    "mlops:options": { streamingCode: { inference: "team/streaming/score.js" } },
                }),
            ),
        );
    });

    it("without the option, the scoring job's UDF is the upload the plan creates", () => {
        expect(at(plain, JOB, UDF, "streaming-inference-job")).toEqual([
            expect.objectContaining({
                met: "created",
                ref: expect.stringMatching(/\/samples\/jobs\/streaming\/score_udf\.js$/),
            }),
        ]);
    });

    it("with it, the UDF is the team's, by the option; nothing is unmet", () => {
        expect(at(own, JOB, UDF, "streaming-inference-job")).toEqual([
            expect.objectContaining({
                kind: "object",
                ref: expect.stringMatching(
                    /^gs:\/\/mlops-levels-dev-artifacts-[a-z0-9]{6}\/team\/streaming\/score\.js$/,
                ),
                met: "user",
                why: "mlops:options.streamingCode.inference",
            }),
        ]);
        expect(own.filter((c) => c.met === null)).toEqual([]);
    });
});

describe("Azure level 3: a team's scoring file is inline, no prerequisite", () => {
    it("adds no prerequisite and leaves none unmet", async () => {
        // The option's path is relative to the directory the stack program runs in.
        const file = path.relative(process.cwd(), path.resolve(__dirname, "../fixtures/streaming/team-score.js"));
        const plain = planPrerequisites(await planConfig(configFor("azure", STREAMING)));
        const own = planPrerequisites(
            await planConfig(
                configFor("azure", STREAMING, { "mlops:options": { streamingCode: { inference: file } } }),
            ),
        );
        expect(own.map((c) => [c.urn, c.input, c.ref, c.met])).toEqual(
            plain.map((c) => [c.urn, c.input, c.ref, c.met]),
        );
        expect(own.filter((c) => c.met === null)).toEqual([]);
    });
});
