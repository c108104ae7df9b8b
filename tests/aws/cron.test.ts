import fc from "fast-check";
import { parseCron, toAwsCron, toSystemdOnCalendar } from "../../components/batch-job/aws-cron";

const aws = (c: string) => {
    const r = toAwsCron(c);
    if (!r.ok) throw new Error(r.message);
    return r.value;
};
const failure = (c: string) => {
    const r = toAwsCron(c);
    return r.ok ? undefined : r.message;
};

describe("toAwsCron", () => {
    it.each([
        ["0 2 * * *", "cron(0 2 * * ? *)"],
        ["*/15 * * * *", "cron(0/15 * * * ? *)"],
        ["30 6 1 * *", "cron(30 6 1 * ? *)"],
        ["0 0 1,15 * *", "cron(0 0 1,15 * ? *)"],
        ["0 12 */2 * *", "cron(0 12 1/2 * ? *)"],
        ["0 3 * JAN,jul *", "cron(0 3 * 1,7 ? *)"],
        ["5 4 * * 0", "cron(5 4 ? * 1 *)"],
        ["5 4 * * 7", "cron(5 4 ? * 1 *)"],
        ["5 4 * * SUN", "cron(5 4 ? * 1 *)"],
        ["15 3 * * 1-5", "cron(15 3 ? * 2-6 *)"],
        ["15 3 * * MON-FRI", "cron(15 3 ? * 2-6 *)"],
        ["0 8 * * 6", "cron(0 8 ? * 7 *)"],
        ["0 8 * * 5-7", "cron(0 8 ? * 1,6,7 *)"],
        ["0 8 * * 0,6", "cron(0 8 ? * 1,7 *)"],
        ["0 8 * * */2", "cron(0 8 ? * 1,3,5,7 *)"],
        ["0 9-17 * * *", "cron(0 9-17 * * ? *)"],
        ["0 0,12 * * *", "cron(0 0,12 * * ? *)"],
        ["10-20/5 * * * *", "cron(10,15,20 * * * ? *)"],
    ])("%s → %s", (cron, expected) => {
        expect(aws(cron)).toBe(expected);
    });

    it("maps every standard weekday to AWS's 1-7 = SUN-SAT", () => {
        const names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
        for (let d = 0; d <= 6; d++) {
            expect(aws(`0 0 * * ${d}`)).toBe(`cron(0 0 ? * ${d + 1} *)`);
            expect(aws(`0 0 * * ${names[d]}`)).toBe(`cron(0 0 ? * ${d + 1} *)`);
        }
    });

    it("rejects a cron restricting both day-of-month and day-of-week, saying why", () => {
        expect(failure("0 0 1 * 1")).toMatch(/both day-of-month and day-of-week.*EITHER.*Set one of them to \*/);
    });

    it.each([
        ["0 2 * *", /five fields/],
        ["0 2 * * * *", /five fields/],
        ["60 2 * * *", /minute '60'.*0-59/],
        ["0 24 * * *", /hour '24'/],
        ["0 0 0 * *", /day-of-month '0'/],
        ["0 0 * 13 *", /month '13'/],
        ["0 0 * * 8", /day-of-week '8'/],
        ["0 0 L * *", /day-of-month 'L'.*not supported/],
        ["0 0 ? * 1", /not supported/],
        ["0 0 * * 1#2", /not supported/],
        ["0 0 * * FOO", /day-of-week 'FOO'/],
        ["0 5-1 * * *", /low to high/],
        ["*/0 * * * *", /step must be 1 or more/],
        ["@daily x y z w", /minute '@daily'/],
    ])("rejects %s", (cron, message) => {
        expect(failure(cron)).toMatch(message);
    });

    it("always yields six fields with exactly one of day-of-month / day-of-week as ?", () => {
        const field = (max: number, min = 0) =>
            fc.oneof(
                fc.constant("*"),
                fc.integer({ min, max }).map(String),
                fc.integer({ min: 1, max: 10 }).map((s) => `*/${s}`),
                fc
                    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
                    .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
            );
        fc.assert(
            fc.property(field(59), field(23), field(31, 1), field(12, 1), field(7), (mi, h, dom, mo, dow) => {
                const r = toAwsCron(`${mi} ${h} ${dom} ${mo} ${dow}`);
                if (!r.ok) return /both day-of-month and day-of-week/.test(r.message);
                const fields = /^cron\((.*)\)$/.exec(r.value)![1]!.split(" ");
                const [, , d, , w, year] = fields;
                return (
                    fields.length === 6 &&
                    year === "*" &&
                    (d === "?") !== (w === "?") &&
                    !/[^0-9,*?/-]/.test(fields.join(""))
                );
            }),
        );
    });
});

describe("parseCron", () => {
    it("folds Sunday 7 into 0 and expands steps", () => {
        const p = parseCron("*/20 0 * * 5-7");
        expect(p.ok && p.value.sets[0]).toEqual([0, 20, 40]);
        expect(p.ok && p.value.sets[4]).toEqual([0, 5, 6]);
        expect(p.ok && p.value.full).toEqual([false, false, true, true, false]);
    });
});

describe("toSystemdOnCalendar", () => {
    it.each([
        ["0 2 * * *", "*-*-* 02:00:00 UTC"],
        ["15 3 * * 1-5", "Mon..Fri *-*-* 03:15:00 UTC"],
        ["*/30 */6 1 * *", "*-*-01 00,06,12,18:00,30:00 UTC"],
        ["0 8 * * 0,6", "Sun,Sat *-*-* 08:00:00 UTC"],
    ])("%s → %s", (cron, expected) => {
        const r = toSystemdOnCalendar(cron);
        expect(r.ok && r.value).toBe(expected);
    });

    it("rejects what AWS rejects", () => {
        expect(toSystemdOnCalendar("0 0 1 * 1").ok).toBe(false);
    });
});
