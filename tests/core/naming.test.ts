import fc from "fast-check";
import {
    isValidName,
    NAME_RULES,
    type NameRuleId,
    physicalName,
    suffixReserve,
    UNIQUE_SUFFIX_LENGTH,
    withSuffix,
} from "../../components/shared/naming";

const ids = Object.keys(NAME_RULES) as NameRuleId[];
// Anything a user may name a project or stack: unicode, punctuation, empty, very long.
const part = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.constantFrom("", "-", "..", "Prod_Env", "xn--a", "goog-x", "123"),
);
const suffix = fc.string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
    minLength: UNIQUE_SUFFIX_LENGTH,
    maxLength: UNIQUE_SUFFIX_LENGTH,
});

describe("physical names meet each cloud's rules for any project and stack name", () => {
    test.each(ids)("%s", (id) => {
        fc.assert(
            fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
                const name = physicalName(id, parts);
                expect(isValidName(id, name)).toBe(true);
            }),
            { numRuns: 300 },
        );
    });

    test.each(ids)("%s with the unique suffix", (id) => {
        fc.assert(
            fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), suffix, (parts, s) => {
                const base = physicalName(id, parts, suffixReserve(id));
                expect(isValidName(id, withSuffix(id, base, s))).toBe(true);
            }),
            { numRuns: 300 },
        );
    });
});

describe("names stay readable and distinct", () => {
    test("a short name is kept as typed, lowercased where the rule wants it", () => {
        expect(physicalName("s3Bucket", ["mlops-levels", "prod", "data"])).toBe("mlops-levels-prod-data");
        expect(physicalName("azureStorageAccount", ["mlops-levels", "prod"])).toBe("mlopslevelsprod");
        expect(physicalName("gcpServiceAccount", ["Team_A", "dev", "jobs"])).toBe("team-a-dev-jobs");
    });

    test("two long names that differ only at the end stay distinct after truncation", () => {
        const a = physicalName("azureStorageAccount", ["a-very-long-project-name-for-forecasting", "staging-eu"]);
        const b = physicalName("azureStorageAccount", ["a-very-long-project-name-for-forecasting", "staging-us"]);
        expect(a).not.toBe(b);
        expect(a.length).toBeLessThanOrEqual(24);
    });

    test("rules reject what the clouds reject", () => {
        expect(isValidName("s3Bucket", "Upper-Case")).toBe(false);
        expect(isValidName("s3Bucket", "ab")).toBe(false);
        expect(isValidName("azureStorageAccount", "has-hyphen")).toBe(false);
        expect(isValidName("gcsBucket", "goog-bucket")).toBe(false);
        expect(isValidName("gcpServiceAccount", "short")).toBe(false);
        expect(isValidName("azureContainerApp", "double--hyphen")).toBe(false);
    });
});
